/**
 * Ctrl-C and the end of the process, for one connection: what happens to the calls in flight, and
 * how long the process waits for their cleanup.
 *
 * The rules (README, "Ctrl-C" and "Shutdown"):
 * - The cleanup (tasks aborted, iterators closed, objects disposed) is waited for once, at most
 *   `shutdownTimeout` (+ a margin that lets the worker's own bound expire first), for every
 *   synchronizer at the same time, never one after the other.
 * - A second Ctrl-C cuts that wait short. The supervisor flags every SIGINT, also the one that led
 *   here if it sees it late (under load), or another synchronizer's thread took it: a Ctrl-C
 *   counts as a second one only if the supervisor received more SIGINTs than this thread handled
 *   (process-hooks.ts counts those).
 * - A task waiting for one of this thread's callbacks stops waiting when its call is aborted
 *   (worker/callbacks.ts): during this wait the callback could never reply.
 */
import { InterruptedError } from "../../errors.js";
import type { RequestOp } from "../../protocol/messages.js";
import type { PendingCall } from "./pending.js";
import { noteSignalHandled, userSignalListeners } from "../support/process-hooks.js";
import { nowMs } from "../../protocol/clock.js";

/**
 * What shutting down uses of a connection. Spelled out here rather than imported, so that
 * connection.ts can call into this file without the two importing each other.
 */
export interface Connection {
  readonly options: { readonly shutdownTimeoutMs: number };
  readonly exited: Error | undefined;
  shutdownStarted: boolean;
  send(op: RequestOp, keepsAlive: boolean): PendingCall;
  requestAsync(op: RequestOp, control: { readonly timeoutMs?: number }): Promise<unknown>;
  postRequest(op: RequestOp): void;
  receiveUntil(done: () => boolean, deadline: number, interruptible: boolean): "done" | "timeout" | "interrupted";
  abandon(call: PendingCall): void;
  stop(call: PendingCall, reason: unknown): unknown;
  unhandledSignals(): number;
}

/** How much longer than the worker's own bound the caller waits for the shutdown reply. */
const REPLY_MARGIN_MS = 500;

/** Waits for a started shutdown; false when a second Ctrl-C cut the wait short. */
export type ShutdownWait = () => boolean;

/**
 * Ask the worker to shut down gracefully (once per connection) and return the wait for it,
 * or undefined when there is nothing to wait for.
 */
export function startShutdown(connection: Connection): ShutdownWait | undefined {
  const timeoutMs = connection.options.shutdownTimeoutMs;
  if (timeoutMs <= 0 || connection.exited || connection.shutdownStarted) return undefined;
  connection.shutdownStarted = true;
  let call: PendingCall;
  try {
    call = connection.send({ op: "shutdown", timeoutMs }, false);
  } catch {
    return undefined;
  }
  const deadline = nowMs() + timeoutMs + REPLY_MARGIN_MS;
  return () => {
    try {
      for (;;) {
        const ended = connection.receiveUntil(() => call.settled !== undefined, deadline, true);
        if (ended !== "interrupted") return true;
        // The supervisor flags every SIGINT it sees while this thread waits, also the one that led
        // here (seen late, or by another synchronizer's supervisor): only one this thread has not
        // handled yet is a second Ctrl-C.
        if (connection.unhandledSignals() > 0) return false;
      }
    } finally {
      connection.abandon(call);
    }
  };
}

/** Shut down and wait (close() under `using`, and each synchronizer at process exit). */
export function shutdownSync(connection: Connection): boolean {
  return startShutdown(connection)?.() ?? true;
}

/** The same without blocking, for close(). */
export async function shutdownAsync(connection: Connection): Promise<void> {
  const timeoutMs = connection.options.shutdownTimeoutMs;
  if (timeoutMs <= 0 || connection.exited || connection.shutdownStarted) return;
  connection.shutdownStarted = true;
  await connection.requestAsync({ op: "shutdown", timeoutMs }, { timeoutMs: timeoutMs + REPLY_MARGIN_MS }).catch(() => {});
}

/**
 * Ctrl-C while this thread is blocked in `calls` (nested ones too). Without a SIGINT listener of
 * the user's, the process ends as an interrupted process does (exit code 130); its exit hook runs
 * the cleanup of every synchronizer (see process-hooks.ts). With one, the calls are aborted and
 * their cleanup waited for (bounded; a second Ctrl-C cuts it short), then the blocking call
 * throws an InterruptedError and the user's listener runs once the stack has unwound.
 */
export function interrupt(connection: Connection, calls: readonly PendingCall[]): void {
  const reason = new InterruptedError("the call was interrupted by Ctrl-C (SIGINT)");
  const waiting = calls.filter((call) => call.settled === undefined);
  for (const call of waiting) connection.postRequest({ op: "cancel", call: call.id, reason });
  if (userSignalListeners() === 0) {
    noteSignalHandled();
    process.exit(130);
  }
  connection.receiveUntil(() => waiting.every((call) => call.settled !== undefined), nowMs() + connection.options.shutdownTimeoutMs, true);
  for (const call of waiting) connection.stop(call, reason);
  // The user's listener runs when this thread's event loop reads the signal; keep the loop alive
  // for one more turn, or a script that ends right after this call would exit without it.
  setTimeout(() => {}, 100);
}

/**
 * A wait cut short by Ctrl-C outside the exit hook (close() under `using`): the signal was taken
 * from the user, so give it its usual effect: end the process unless the user listens.
 */
export function afterInterruptedWait(): void {
  if (userSignalListeners() === 0) {
    noteSignalHandled();
    process.exit(130);
  }
}
