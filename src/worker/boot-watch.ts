/**
 * Entry point preloaded (`--require`) into the loop thread, ahead of the user's own preloads, when
 * its flags or NODE_OPTIONS have any (a loader such as tsx, a setup file): see
 * caller/host/loop-thread.ts.
 *
 * Preloads run before the thread's own code. One that throws ends the thread before the loop has
 * installed its hooks (worker/lifeline.ts), so the caller would learn only that the thread ended
 * while starting, not why; Node gives the error to the Worker's "error" event, on the event loop
 * of a caller that may be blocked. Loaded first, this file reports that error and the exit code
 * on the lifeline, as the loop's hooks would; the loop removes these hooks when it installs its own.
 */
import { workerData } from "node:worker_threads";
import type { LoopWorkerData } from "./loop.js";
import { BOOT_WATCH_KEY, reportThreadEnd } from "./end-notices.js";
import { writeOutputDirectly } from "./output.js";

const data = workerData as Partial<LoopWorkerData> | null | undefined;
// Threads that inherit the loop thread's flags load this file too (Node's loader-hooks thread, a
// worker of the implementation's): only the loop thread, which the caller started with it, acts.
if (data?.bootWatch !== undefined && data.lifeline !== undefined) {
  // Before the preloads can write: the caller does not forward this thread's streams (caller/host/loop-thread.ts).
  writeOutputDirectly();
  const { execArgv, nodeOptions } = data.bootWatch;
  // Out of what this thread's own workers and child processes inherit (fork() passes execArgv on),
  // and out of what the implementation sees: the flags are the user's again.
  const at = process.execArgv.findIndex((flag, i) => flag === execArgv[0] && process.execArgv[i + 1] === execArgv[1]);
  if (at !== -1) process.execArgv.splice(at, 2);
  if (nodeOptions !== undefined) process.env["NODE_OPTIONS"] = nodeOptions;
  (globalThis as Record<symbol, unknown>)[BOOT_WATCH_KEY] = reportThreadEnd(data.lifeline);
}
