export {
  Synchronizer,
  type DefiningModule,
  type Diagnostics,
  type SynchronizerOptions,
  type ThreadsOptions,
  type WrapInPlaceOptions,
  type WrapOptions,
  type WrappableInPlace,
} from "./synchronizer.js";
export { Future } from "./caller/future.js";
export { release, RemoteObject } from "./caller/proxies.js";
export {
  ClosedError,
  DataCloneError,
  DeadlockError,
  InterruptedError,
  ModuleLoadError,
  QueueFullError,
  ReferenceLostError,
  TimeoutError,
  WorkerExitError,
} from "./errors.js";
export type {
  Api,
  Arg,
  Arguments,
  Blocking,
  BlockingClass,
  BlockingFunction,
  ClassViews,
  GeneratedApi,
  GeneratorFunction,
  Method,
  NoViews,
  OverloadedFunction,
  Protocols,
  Remote,
  RemoteIterable,
  Wrapped,
} from "./types/api.js";
export type { CallOptions } from "./caller/callable.js";
export type { CallTraceContext } from "./caller/tracing.js";
