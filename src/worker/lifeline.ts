/**
 * The loop thread's end of the lifeline (see protocol/lifeline.ts): what the supervisor needs to
 * report this thread's death precisely, said before the thread dies, and the supervisor's "go".
 */
import { threadId, type MessagePort } from "node:worker_threads";
import type { LoopNotice, SupervisorGo } from "../protocol/lifeline.js";
import { describeThrown, encodeBareError } from "../protocol/bare-errors.js";
import { watchHeapLimitRaise } from "./memory-watch.js";

/**
 * Install the hooks that report this thread's end, say hello, and resolve once the supervisor
 * answers "go" (it has told the caller that the worker runs).
 */
export function holdLifeline(port: MessagePort): Promise<void> {
  const post = (notice: LoopNotice) => {
    try {
      port.postMessage(notice);
    } catch {
      // Port gone: the supervisor ended, and the caller learns it from the supervisor's exit.
    }
  };
  // Whether the error the monitor saw last is the one ending the thread. Node runs the monitor,
  // then (when no handler took the error) emits "exit" in the same synchronous sequence; an error
  // that a user's "uncaughtException" handler took is forgotten at the next microtask checkpoint.
  let fatal = false;
  process.on("uncaughtExceptionMonitor", (error) => {
    fatal = true;
    queueMicrotask(() => (fatal = false));
    const text = describeThrown(error);
    try {
      port.postMessage({ t: "uncaught", error: encodeBareError(error), text } satisfies LoopNotice);
    } catch {
      // A field of the error that cannot be copied (a function...): its text and stack still go.
      const plain = new Error(text);
      plain.stack = String((error as { stack?: unknown } | undefined)?.stack ?? text);
      post({ t: "uncaught", error: encodeBareError(plain), text });
    }
  });
  // Runs for process.exit() and for an uncaught error; not when Node ends the thread from outside
  // (terminate(), the heap limit), which the supervisor tells apart without it.
  process.on("exit", (code) => post({ t: "exit", code, uncaught: fatal }));
  // Deno may stop a call's code at the heap limit yet leave this thread running (memory-watch.ts):
  // then end the thread, as Node would have, saying why first.
  watchHeapLimitRaise(() => {
    post({ t: "oom" });
    process.exit(1);
  });
  const go = new Promise<void>((resolve) => {
    port.once("message", (_: SupervisorGo) => resolve());
  });
  post({ t: "hello", threadId });
  return go;
}
