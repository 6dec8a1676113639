/**
 * Entry point of the worker thread that runs the implementation: the "event loop thread" of a
 * Synchronizer. It is started by the supervisor thread (supervisor.ts), never directly by the
 * caller, so that someone with a live event loop always sees it exit.
 */
import { workerData, type MessagePort } from "node:worker_threads";
import { PortWorkerTransport } from "../protocol/transport.js";
import { ShmWorkerTransport } from "../protocol/shm/worker-transport.js";
import { Dispatcher } from "./dispatcher.js";
import { writeOutputDirectly } from "./output.js";
import { registerInheritedLoaders } from "./loaders.js";

export interface LoopWorkerData {
  readonly data: MessagePort;
  readonly shared: Int32Array;
  readonly rings?: SharedArrayBuffer;
}

/**
 * Start this thread's request loop. Called by the thread's entry file (dist/cjs/worker/loop.js,
 * which the build writes): the loop lives in the library's one bundle, so that the implementation,
 * importing "synchronicity-js" or "synchronicity-js/worker", shares its module state.
 */
export function runLoop(): void {
  const { data, shared, rings } = workerData as LoopWorkerData;
  // Lets a module this thread runs, wrapped from inside it, call the implementation in place (synchronizer.ts, local-api.ts).
  (globalThis as Record<symbol, unknown>)[Symbol.for("synchronicity.loopThread")] = true;
  writeOutputDirectly();
  // Requests wait in the port's queue until the dispatcher listens; imports need the loaders first.
  // (A rejection here is an uncaught error of this thread, which the supervisor reports to the caller.)
  void registerInheritedLoaders(process.execArgv).then(() =>
    new Dispatcher(rings ? new ShmWorkerTransport(data, shared, rings) : new PortWorkerTransport(data, shared)).start(),
  );
}
