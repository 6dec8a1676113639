/**
 * Starting a Synchronizer's loop thread: the memory and the channels it shares with the caller,
 * then the thread itself. What WorkerHost does first; a module of its own, so that the caller's
 * front (the part of the library an import loads: see scripts/build.mjs) can start the thread
 * before it loads the rest of the library, which then loads while the thread boots.
 */
import type { MessageChannel, Worker } from "node:worker_threads";
import { workerThreads } from "../../builtins.js";
import { createSharedState } from "../../protocol/shared-state.js";
import { createRings } from "../../protocol/shm/ring-layout.js";
import { nowMs } from "../../protocol/clock.js";
import { workerEntries, type WorkerEntries } from "./worker-files.js";
import { startLoopThread, type LoopThreadOptions } from "./loop-thread.js";
import { completeLibraryCode, libraryCodeFor } from "./library-cache.js";

/** A loop thread just started, and what WorkerHost needs of its start to run it. */
export interface StartedThread {
  readonly entries: WorkerEntries;
  /** Undefined when the thread could not be started (`startFailure` says why). */
  readonly loop: Worker | undefined;
  readonly startFailure: unknown;
  readonly shared: Int32Array;
  /** Undefined with the port-only transport. */
  readonly rings: SharedArrayBuffer | undefined;
  /** Requests and replies (port1 is the caller's end). */
  readonly data: MessageChannel;
  /** Between the loop thread (port1) and the supervisor (port2). */
  readonly lifeline: MessageChannel;
  /** The shared-memory transport's wake-ups (port2 is the thread's); undefined with the port-only transport. */
  readonly wake: MessageChannel | undefined;
  /** nowMs() when the thread was started. */
  readonly createdAt: number;
}

/** Start a loop thread. Throws only if the library's worker files are missing (workerEntries). */
export function startThread(options: LoopThreadOptions): StartedThread {
  const entries = workerEntries();
  const threads = workerThreads();
  const shared = createSharedState();
  const data = new threads.MessageChannel();
  const lifeline = new threads.MessageChannel();
  // Shared-memory rings unless the port-only transport is forced (tests run both).
  const rings = process.env["SYNCHRONICITY_TRANSPORT"] === "port" ? undefined : createRings();
  const wake = rings && new threads.MessageChannel();
  const libraryCode = libraryCodeFor(entries.library);
  const createdAt = nowMs();
  let loop: Worker | undefined;
  let startFailure: unknown;
  try {
    loop = startLoopThread(
      entries,
      options,
      {
        data: data.port2,
        shared,
        lifeline: lifeline.port1,
        ...(rings && wake && { rings, wake: wake.port2 }),
        ...(libraryCode && { libraryCode: libraryCode.buffer }),
      },
      wake ? [data.port2, lifeline.port1, wake.port2] : [data.port2, lifeline.port1],
    );
  } catch (error) {
    startFailure = error;
  }
  // While the thread boots: the first thing it will need is its library (see library-cache.ts).
  if (loop !== undefined && libraryCode !== undefined) completeLibraryCode(libraryCode);
  return { entries, loop, startFailure, shared, rings, data, lifeline, wake, createdAt };
}

/** A started thread that will not be used after all (the rest of the library failed to load): end it. */
export function abandonThread(started: StartedThread): void {
  void started.loop?.terminate();
  for (const channel of [started.data, started.lifeline, started.wake]) {
    channel?.port1.close();
    channel?.port2.close();
  }
}
