/**
 * How the supervisor words the loop thread's end, from what the loop said on the lifeline before
 * it died (protocol/lifeline.ts) and what the caller asked for.
 */
import type { LoopNotice } from "../protocol/lifeline.js";
import { encodeBareError } from "../protocol/bare-errors.js";

type Uncaught = Extract<LoopNotice, { t: "uncaught" }>;
type Exit = Extract<LoopNotice, { t: "exit" }>;

export interface LoopEnd {
  /** Set when the caller stopped the worker (terminateOnTimeout), with its reason. */
  readonly requested: string | undefined;
  /** Whether the loop had started (said hello). */
  readonly started: boolean;
  /** Whether the loop said it reached its heap limit and ends itself (Deno: worker/memory-watch.ts). */
  readonly outOfMemory: boolean;
  readonly exit: Exit | undefined;
  readonly uncaught: Uncaught | undefined;
}

export interface ExitReport {
  readonly code: number;
  readonly reason: string;
  /** The cause, encoded. */
  readonly error?: unknown;
}

/** Node's exit code for a thread it ended (terminate(), the heap limit). */
const ENDED_BY_NODE = 1;

export function describeLoopEnd({ requested, started, outOfMemory, exit, uncaught }: LoopEnd): ExitReport {
  if (requested !== undefined) return { code: exit?.code ?? ENDED_BY_NODE, reason: requested };
  if (outOfMemory) {
    return ranOutOfMemory(
      "the worker thread reached its memory limit (resourceLimits, or V8's heap limit): Deno stopped the code it was running there but left the thread running, so the thread ended itself",
      exit?.code ?? ENDED_BY_NODE,
    );
  }
  if (exit !== undefined) {
    // Before the loop ran, only a preload of the user's could have run (reported by boot-watch.ts).
    const when = started ? "" : " while starting, in a preload or loader of its flags or NODE_OPTIONS";
    if (exit.uncaught && uncaught !== undefined) {
      return { code: exit.code, reason: `the worker stopped on an uncaught error${when} (${uncaught.text})`, error: uncaught.error };
    }
    return { code: exit.code, reason: `the worker exited with code ${exit.code}${when}` };
  }
  // The thread ended without running its exit handlers. Only the caller terminates it (and says so
  // first, above), so this is Node ending it: at its heap limit, or while it was still starting,
  // before this library's hooks were installed (a preload or loader in its flags that threw).
  if (!started) {
    return {
      code: ENDED_BY_NODE,
      reason: "the worker thread ended while starting, before its loop ran (a preload or loader in its flags or NODE_OPTIONS that failed?)",
    };
  }
  return ranOutOfMemory(
    "the worker thread ended without running its exit handlers and without an uncaught error, which is how Node ends a worker that reaches its memory limit (resourceLimits, or V8's heap limit)",
    ENDED_BY_NODE,
  );
}

/** The report of a worker that ran out of memory; `why` (the cause's message) says how that is known. */
function ranOutOfMemory(why: string, code: number): ExitReport {
  const cause = new Error(why);
  cause.stack = `Error: ${cause.message}`; // this thread's frames would only mislead
  return { code, reason: "the worker ran out of memory", error: encodeBareError(cause) };
}
