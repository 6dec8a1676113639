/**
 * The hooks that tell the supervisor how the loop thread is ending, said before it ends: the
 * uncaught error that ends it, and its exit code (see protocol/lifeline.ts). Installed by the loop
 * (worker/lifeline.ts) and, before any preload of the user's runs, by worker/boot-watch.ts.
 */
import type { MessagePort } from "node:worker_threads";
import type { LoopNotice } from "../protocol/lifeline.js";
import { describeThrown, encodeBareError } from "../protocol/bare-errors.js";

/** Post a notice, ignoring a port that is gone (the supervisor ended; the caller learns it from the supervisor's exit). */
export function noticePoster(port: MessagePort): (notice: LoopNotice) => void {
  return (notice) => {
    try {
      port.postMessage(notice);
    } catch {
      // Port gone.
    }
  };
}

/** Report this thread's uncaught error and exit code on `port`; returns what removes the hooks. */
export function reportThreadEnd(port: MessagePort): () => void {
  const post = noticePoster(port);
  // Whether the error the monitor saw last is the one ending the thread. Node runs the monitor,
  // then (when no handler took the error) emits "exit" in the same synchronous sequence; an error
  // that a user's "uncaughtException" handler took is forgotten at the next microtask checkpoint.
  let fatal = false;
  const onUncaught = (error: unknown): void => {
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
  };
  // Runs for process.exit() and for an uncaught error; not when Node ends the thread from outside
  // (terminate(), the heap limit), which the supervisor tells apart without it.
  const onExit = (code: number): void => post({ t: "exit", code, uncaught: fatal });
  process.on("uncaughtExceptionMonitor", onUncaught);
  process.on("exit", onExit);
  return () => {
    process.off("uncaughtExceptionMonitor", onUncaught);
    process.off("exit", onExit);
  };
}

/** Where boot-watch.ts leaves the removal of its hooks, for the loop to call when it installs its own. */
export const BOOT_WATCH_KEY = Symbol.for("synchronicity.bootWatch");
