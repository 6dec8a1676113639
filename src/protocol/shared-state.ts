/**
 * The shared memory a caller thread and the worker use to wake each other.
 *
 * Messages themselves travel over MessagePorts; this small Int32Array only carries *wake-ups*
 * and the worker's liveness, because a blocked caller cannot receive events. Layout:
 *
 *   slot 0  SEQ    bumped (Atomics.add + notify) after every message posted to the caller, by the
 *                  worker for replies and callback requests and by the supervisor for exit notices;
 *                  and once by the worker when it has booted (worker/lifeline.ts).
 *                  A blocked caller reads SEQ, polls its ports, and only sleeps in
 *                  Atomics.wait(SEQ, seen) if nothing was there: a message posted in between has
 *                  already changed SEQ, so the wait returns at once and no wake-up is lost.
 *   slot 1  STATE  STARTING -> RUNNING -> EXITED: RUNNING written by the worker once it has booted,
 *                  EXITED by the supervisor thread (by the caller if a thread cannot be created).
 *   slot 2  INTERRUPT  set to the signal number by the supervisor when SIGINT arrives while the
 *                  caller is blocked; the caller clears it once it has handled the interrupt.
 *   slot 3  BLOCKED  how many blocking waits the caller is in right now (nested with callbacks);
 *                  written by the caller, read by the supervisor when a signal arrives.
 *   slot 4  HANDLERS  how many SIGINT listeners the caller's process has (the user's own); 0 means
 *                  Ctrl-C must end the process as it would without this library.
 *   slot 5  CONTROL  how many messages the supervisor has posted on the control port (bumped before
 *                  SEQ), so that a caller polls that port only when something is there.
 *   slot 6  SIGNALS  how many SIGINTs the supervisor has received (caller/shutdown.ts compares it
 *                  with the ones the caller's thread handled, to tell a second Ctrl-C from the
 *                  first one seen late).
 *
 * The shared-memory transport keeps its message rings in a buffer of its own (shm/ring.ts).
 */
export const SEQ = 0;
export const STATE = 1;
export const INTERRUPT = 2;
export const BLOCKED = 3;
export const HANDLERS = 4;
export const CONTROL = 5;
export const SIGNALS = 6;
export const SLOT_COUNT = 8;

export const enum WorkerState {
  Starting = 0,
  Running = 1,
  Exited = 2,
}

export function createSharedState(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(SLOT_COUNT * Int32Array.BYTES_PER_ELEMENT));
}

/** Wake a caller that may be blocked waiting for a message. */
export function wakeCaller(state: Int32Array): void {
  Atomics.add(state, SEQ, 1);
  Atomics.notify(state, SEQ);
}
