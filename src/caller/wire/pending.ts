/**
 * One request in flight, from the moment it is posted until its reply (or the worker's death)
 * settles it. Replies are routed here by id, either by the port's event handler (async calls) or by
 * a blocked caller's receive loop, which settles *every* reply it reads, not only the one it waits
 * for: a Future or `.aio` call whose reply arrives during a blocking call is settled then.
 */
import type { RequestOp } from "../../protocol/messages.js";
import { describeRequest } from "./blocking-warning.js";

export type Settled = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

export class PendingCall {
  private outcome: Settled | undefined;
  private listeners: Array<(outcome: Settled) => void> | undefined;
  /** The first promise() made before the reply: settled directly (the common .aio case, no listener). */
  private resolvePromise: ((value: unknown) => void) | undefined;
  private rejectPromise: ((error: unknown) => void) | undefined;

  constructor(
    readonly id: number,
    /** Whether this call keeps the caller's event loop alive (async calls and futures do). */
    readonly keepsAlive: boolean,
    /** The request, for messages about it ("square()", "db.query()"); described only when needed. */
    private readonly request?: RequestOp,
  ) {}

  /** A `start` request: its reply names a new iterator (released if the reply comes too late). */
  get startsIterator(): boolean {
    return this.request?.op === "start";
  }

  /** What the request was, for messages about it. */
  describe(): string {
    return this.request === undefined ? `request #${this.id}` : describeRequest(this.request);
  }

  get settled(): Settled | undefined {
    return this.outcome;
  }

  settle(outcome: Settled): void {
    if (this.outcome !== undefined) return;
    this.outcome = outcome;
    if (this.resolvePromise !== undefined) {
      if (outcome.ok) this.resolvePromise(outcome.value);
      else this.rejectPromise!(outcome.error);
      this.resolvePromise = this.rejectPromise = undefined;
    }
    const listeners = this.listeners;
    if (listeners === undefined) return;
    this.listeners = undefined;
    for (const listener of listeners) listener(outcome);
  }

  /** Run `listener` when settled (at once if already settled). */
  onSettle(listener: (outcome: Settled) => void): void {
    if (this.outcome !== undefined) listener(this.outcome);
    else (this.listeners ??= []).push(listener);
  }

  /** A promise of the value; created on demand so that an unobserved failure is not an unhandled rejection. */
  promise(): Promise<unknown> {
    const outcome = this.outcome;
    if (outcome !== undefined) return outcome.ok ? Promise.resolve(outcome.value) : Promise.reject(outcome.error);
    if (this.resolvePromise !== undefined) return new Promise((resolve, reject) => this.onSettle((o) => (o.ok ? resolve(o.value) : reject(o.error))));
    return new Promise((resolve, reject) => {
      this.resolvePromise = resolve;
      this.rejectPromise = reject;
    });
  }
}
