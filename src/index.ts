export { Synchronizer, type Diagnostics, type SynchronizerOptions, type WrapOptions } from "./synchronizer.js";
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
export type { Api, BlockingFunction, GeneratorFunction, Remote, RemoteIterable, Wrapped } from "./types/api.js";
export type { CallOptions } from "./caller/callable.js";
