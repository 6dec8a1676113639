export { Synchronizer, type SynchronizerOptions, type WrapOptions } from "./synchronizer.js";
export { Future } from "./caller/future.js";
export {
  ClosedError,
  DataCloneError,
  DeadlockError,
  ModuleLoadError,
  ReferenceLostError,
  TimeoutError,
  WorkerExitError,
} from "./errors.js";
export type { Api, BlockingFunction, Wrapped } from "./types/api.js";
