/**
 * The receive loop of a blocked thread. A blocking call cannot use port events (its thread is
 * inside Atomics.wait), so it polls the transport and hands every message it reads to the
 * connection's `dispatch`, exactly as the event handler would: replies to other calls are settled,
 * callback requests run here, on this thread, while it waits.
 *
 * It also knows what this thread is blocked on right now, which decides whether a callback request
 * must finish synchronously (see `waitsFor`).
 */
import type { CallerTransport, Incoming } from "../../protocol/transport.js";
import type { PendingCall } from "./pending.js";
import type { CallbackRequest } from "./terms.js";
import { enterWait, leaveWait } from "../support/stack-room.js";
import { warnBlocked } from "./blocking-warning.js";
import { UNSUPERVISED_WAIT_MS } from "../host/worker-host.js";
import { nowMs } from "../../protocol/clock.js";

export type WaitEnd = "settled" | "timeout" | "aborted" | "interrupted";

/** What a callback request says of the task that made it (see the `callback` request). */
export type CallbackOrigin = Pick<CallbackRequest, "call" | "iterator" | "calls" | "iterators">;

export class ReceiveLoop {
  /** Requests this thread is blocked on right now (nested when callbacks make blocking calls). */
  private readonly blockedOn = new Map<number, PendingCall>();
  /** Iterators this thread is blocked on a step of, with how many nested waits. */
  private readonly blockedIterators = new Map<number, number>();

  constructor(
    private readonly transport: CallerTransport,
    /** Routes one message (the connection's dispatch, with blocked = true). */
    private readonly dispatch: (message: Incoming, blocked: boolean) => void,
    /** A blocking wait longer than this prints a warning naming the call (0 or undefined: never). */
    private readonly blockingWarningMs: number | undefined,
    /** Ctrl-C interrupted the wait: every call this thread is blocked on, nested ones too. */
    private readonly onInterrupt: (blocked: PendingCall[]) => void,
    /** The worker's supervisor, which a long silence starts (see WorkerHost). */
    private readonly supervision: { readonly supervised: boolean; heardNothing(): void },
  ) {}

  /**
   * Whether this thread is blocked waiting for what a callback request came from: the request
   * whose task made it, or (for a generator running ahead) any step of its iterator. Such a
   * callback must finish synchronously. A request that may come from any of several (`calls`,
   * `iterators`: the worker could not tell, see worker/untracked.ts) is treated as coming from
   * each of them.
   */
  waitsFor(request: CallbackOrigin): boolean {
    if (request.call !== undefined && this.blockedOn.has(request.call)) return true;
    if (request.iterator !== undefined && this.blockedIterators.has(request.iterator)) return true;
    return request.calls?.some((call) => this.blockedOn.has(call)) === true || request.iterators?.some((iterator) => this.blockedIterators.has(iterator)) === true;
  }

  /** A blocking step of `iterator` begins (counted, since waits nest). */
  enterIterator(iterator: number): void {
    this.blockedIterators.set(iterator, (this.blockedIterators.get(iterator) ?? 0) + 1);
  }

  leaveIterator(iterator: number): void {
    const count = this.blockedIterators.get(iterator)! - 1;
    if (count === 0) this.blockedIterators.delete(iterator);
    else this.blockedIterators.set(iterator, count);
  }

  /**
   * Block this thread until `call` settles, `timeoutMs` passes or `signal` aborts. Every message
   * read meanwhile is dispatched, whoever it is for. Ctrl-C interrupts the wait (`onInterrupt`).
   */
  waitFor(call: PendingCall, timeoutMs = Infinity, signal?: AbortSignal): WaitEnd {
    if (call.settled !== undefined) return "settled";
    // Blocking here is fine even in a synchronizer's worker thread: this connection's worker is
    // another thread, whose event loop does not wait for this one. The one real deadlock, a
    // blocking call into the worker that is making it, is refused in local-api.ts.
    // (No clock read when nothing is timed: most blocking calls.)
    const started = timeoutMs === Infinity && !this.blockingWarningMs ? 0 : nowMs();
    const deadline = timeoutMs === Infinity ? Infinity : started + timeoutMs;
    // Past this point, a warning names the call (a deadlock on this thread's event loop looks like this).
    const warnAt = this.blockingWarningMs ? started + this.blockingWarningMs : Infinity;
    this.blockedOn.set(call.id, call);
    enterWait();
    try {
      const done = () => call.settled !== undefined || signal?.aborted === true;
      let ended = this.receiveUntil(done, Math.min(deadline, warnAt), true);
      if (ended === "timeout" && warnAt < deadline && !done()) {
        warnBlocked(call.describe(), nowMs() - started);
        ended = this.receiveUntil(done, deadline, true);
      }
      if (ended === "interrupted") {
        this.onInterrupt([...this.blockedOn.values()]);
        return "interrupted";
      }
      if (call.settled !== undefined) return "settled";
      return ended === "timeout" ? "timeout" : "aborted";
    } finally {
      leaveWait();
      this.blockedOn.delete(call.id);
    }
  }

  /**
   * Dispatch what arrives until `done()` holds, the deadline passes, or (if `interruptible`)
   * Ctrl-C interrupts the wait.
   */
  receiveUntil(done: () => boolean, deadline: number, interruptible: boolean): "done" | "timeout" | "interrupted" {
    const transport = this.transport;
    const supervision = this.supervision;
    transport.blocking(1);
    try {
      for (;;) {
        const epoch = transport.epoch();
        for (let message = this.poll(); message !== undefined; message = this.poll()) {
          this.dispatch(message, true);
        }
        // A callback run above may have settled the call or aborted its signal.
        if (done()) return "done";
        if (interruptible && transport.takeInterrupt()) return "interrupted";
        const remaining = deadline === Infinity ? Infinity : deadline - nowMs();
        if (remaining <= 0) return "timeout";
        // Without a supervisor, no sleep outlasts UNSUPERVISED_WAIT_MS: one that ends with nothing
        // arrived may start it (a long call, or a worker that died). No clock read for that.
        if (supervision.supervised || remaining <= UNSUPERVISED_WAIT_MS) transport.wait(epoch, remaining);
        else if (!transport.wait(epoch, UNSUPERVISED_WAIT_MS)) supervision.heardNothing();
      }
    } finally {
      transport.blocking(-1);
    }
  }

  /** The next message, if any; one that cannot be deserialized becomes a notice, never an exception lost in the loop. */
  poll(): Incoming | undefined {
    try {
      return this.transport.poll();
    } catch (error) {
      return { t: "undeliverable", error };
    }
  }
}
