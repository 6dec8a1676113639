export {
  Synchronizer,
  type DefiningModule,
  type Diagnostics,
  type SynchronizerOptions,
  type ThreadsOptions,
  type WrapInPlaceOptions,
  type WrapOptions,
  type WrappableInPlace,
  release,
} from "./synchronizer.js";
export { Future } from "./caller/remote/future.js";
export { RemoteObject } from "./caller/remote/remote-object.js";
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
export type { CallOptions } from "./caller/remote/callable.js";
export type { CallForm, CallTraceContext } from "./caller/wire/tracing.js";
export type { WorkerStats } from "./protocol/messages.js";
