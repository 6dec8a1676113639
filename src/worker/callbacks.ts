/**
 * Functions that live in the caller's thread, as the worker sees them: async functions that post a
 * `callback` request and wait for the caller's reply. The same caller function always arrives as
 * the same proxy; when the worker drops the proxy (an event listener removed), the caller is told
 * to release the function.
 */
import type { Reply, RequestOp } from "../protocol/messages.js";
import { HandleRefs } from "../protocol/handle-refs.js";
import { callStorage } from "./call-context.js";
import type { UntrackedOrigins } from "./untracked.js";

export interface CallbackChannel {
  /** Post a request to the caller (encoding its values). */
  request(id: number, op: RequestOp): void;
  /** Decode a reply's payload. */
  decode(reply: Reply): unknown;
  /** For a callback made in no call context: the tasks it may come from (untracked.ts). */
  untrackedOrigins(): UntrackedOrigins | undefined;
}

export class CallerFunctions {
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: unknown) => void }>();
  private nextId = 1;
  readonly refs: HandleRefs;

  constructor(private readonly channel: CallbackChannel) {
    this.refs = new HandleRefs((handles) => channel.request(0, { op: "release", handles }));
  }

  /** The proxy for caller function `id` (one per id while it lives). */
  proxy(id: number): (...args: unknown[]) => Promise<unknown> {
    return this.refs.adopt(id, () => {
      const invoke = (...args: unknown[]): Promise<unknown> =>
        new Promise((resolve, reject) => {
          const context = callStorage.getStore();
          // A task whose call is aborted (cancel, timeout, Ctrl-C, shutdown) stops waiting for its
          // callback: the caller may be unable to reply until that very task ends (a re-entrant
          // call interrupted by Ctrl-C, process.exit() inside the callback).
          const signal = context?.signal;
          if (signal?.aborted) {
            reject(signal.reason);
            return;
          }
          const requestId = this.nextId++;
          const onAbort = () => {
            if (this.pending.delete(requestId)) reject(signal!.reason);
          };
          const done = () => signal?.removeEventListener("abort", onAbort);
          this.pending.set(requestId, {
            resolve: (value) => (done(), resolve(value)),
            reject: (error) => (done(), reject(error)),
          });
          signal?.addEventListener("abort", onAbort, { once: true });
          try {
            this.channel.request(requestId, {
              op: "callback",
              callback: id,
              args,
              ...(context !== undefined && { call: context.id }),
              ...(context?.iterator !== undefined && { iterator: context.iterator }),
              ...(context === undefined && this.channel.untrackedOrigins()),
            });
          } catch (error) {
            this.pending.delete(requestId);
            done();
            reject(error);
          }
        });
      return invoke;
    });
  }

  /** A reply from the caller to one of our callback requests. */
  settle(reply: Reply): void {
    const waiting = this.pending.get(reply.id);
    if (waiting === undefined) return;
    this.pending.delete(reply.id);
    try {
      const payload = this.channel.decode(reply);
      if (reply.ok) waiting.resolve(payload);
      else waiting.reject(payload);
    } catch (error) {
      waiting.reject(error);
    }
  }
}
