/**
 * Entry point of the worker thread that runs the implementation: the "event loop thread" of a
 * Synchronizer. The caller starts it (caller/host/loop-thread.ts), and the supervisor thread when
 * one is needed (caller/host/worker-host.ts); the two are linked by the lifeline
 * (protocol/lifeline.ts), through which the supervisor sees this thread end, however it ends, even
 * while the caller is blocked.
 */
import { workerData, type MessagePort } from "node:worker_threads";
import { PortWorkerTransport } from "../protocol/transport.js";
import { ShmWorkerTransport } from "../protocol/shm/worker-transport.js";
import { Dispatcher } from "./dispatcher.js";
import { registerInheritedLoaders } from "./loaders.js";
import { holdLifeline } from "./lifeline.js";
import { lendImport, type Importer } from "./importer.js";

export interface LoopWorkerData {
  readonly data: MessagePort;
  readonly shared: Int32Array;
  readonly rings?: SharedArrayBuffer;
  /** The shared-memory transport's wake-ups (with `rings`). */
  readonly wake?: MessagePort;
  /** This thread's end of the lifeline to the supervisor. */
  readonly lifeline: MessagePort;
  /** Set when worker/boot-watch.ts is preloaded into this thread (see there). */
  readonly bootWatch?: BootWatchData;
  /** The worker's library compiled by the caller (protocol/library-code.ts); worker/entry.ts reads it. */
  readonly libraryCode?: SharedArrayBuffer;
}

export interface BootWatchData {
  /** The flag pair that preloads it, to take out of process.execArgv. */
  readonly execArgv: readonly string[];
  /** NODE_OPTIONS as it would be without it, when it was added there. */
  readonly nodeOptions?: string;
}

/**
 * Start this thread's request loop. Called by the thread's entry file (worker/entry.ts, which is
 * dist/cjs/worker/loop.js), with the `import()` the library uses (worker/importer.ts): the loop
 * lives in the library's one bundle, so that the implementation, importing "synchronicity-js" or
 * "synchronicity-js/worker", shares its module state.
 */
export function runLoop(importer: Importer): void {
  lendImport(importer);
  const { data, shared, rings, wake, lifeline } = workerData as LoopWorkerData;
  // First, so that an error in anything below is reported with its cause.
  holdLifeline(lifeline, shared);
  // Lets a module this thread runs, wrapped from inside it, call the implementation in place (synchronizer.ts, local-api.ts).
  (globalThis as Record<symbol, unknown>)[Symbol.for("synchronicity.loopThread")] = true;
  const transport = rings && wake ? new ShmWorkerTransport(data, shared, rings, wake) : new PortWorkerTransport(data, shared);
  // Requests wait in the ring or the port's queue until the dispatcher listens, once the loaders
  // are registered (imports need them). (A rejection here is an uncaught error of this thread,
  // reported to the caller like any other.)
  void registerInheritedLoaders(process.execArgv).then(() => new Dispatcher(transport).start());
}
