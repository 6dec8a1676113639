/**
 * Deno only: notices that Deno stopped this thread's code at its heap limit but left the thread
 * running, so that the thread can end itself as Node would have ended it.
 *
 * Node ends a worker that reaches its heap limit (resourceLimits, or V8's own), and the supervisor
 * sees that end through the lifeline. Deno 2 (measured on 2.9.6) stops the code at the limit too,
 * after raising the limit to have room to do so, and ends the worker when that code ran in a timer.
 * But when it ran in a MessagePort's message handler or in a promise continuation, which is where
 * a call's code runs, the thread carries on: its timers and ports still work, yet the stopped call
 * never settles and the thread never ends, so no one would tell a caller blocked on that call.
 * The raised limit is the trace this leaves (only a near-heap-limit callback raises it), so a timer
 * compares the limit with the one the thread started with.
 */
import { v8 } from "../builtins.js";

/** How often the limit is read: the blocked caller learns of the death within this, plus the exit. */
const CHECK_MS = 200;

/** On Deno, call `onStopped` (once) when this thread's heap limit has been raised. Elsewhere, nothing. */
export function watchHeapLimitRaise(onStopped: () => void): void {
  // (node:v8 is loaded here, not imported: on Node it would cost every worker's start about 1 ms.)
  if ((process.versions as Record<string, string | undefined>)["deno"] === undefined) return;
  const { getHeapStatistics } = v8();
  const initial = getHeapStatistics().heap_size_limit;
  const timer = setInterval(() => {
    if (getHeapStatistics().heap_size_limit <= initial) return;
    clearInterval(timer);
    onStopped();
  }, CHECK_MS);
  // The thread's ports keep it alive while it serves; this check must not.
  timer.unref();
}
