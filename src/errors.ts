/**
 * Errors this library throws. Each has a stable `code` so that callers can branch on it, and each
 * keeps its class when it crosses the thread boundary (see protocol/errors.ts). `name` and `code`
 * live on the prototype, so that they do not clutter printed errors.
 */

/** A value could not be copied to the other thread. `position` says which one ("argument 2", "return value"). */
export class DataCloneError extends TypeError {
  declare readonly code: "ERR_SYNCHRONICITY_DATA_CLONE";
  constructor(
    message: string,
    options?: ErrorOptions & { position?: string },
  ) {
    super(message, options);
    if (options?.position !== undefined) this.position = options.position;
  }
  /** Which value failed: "argument 1", "return value", "yielded value", ... */
  declare position?: string;
}

/** A call took longer than its timeout. The worker-side task is cancelled. */
export class TimeoutError extends Error {
  declare readonly code: "ERR_SYNCHRONICITY_TIMEOUT";
}

/** The worker thread stopped (exit, uncaught error, out of memory, terminate) while calls were pending. */
export class WorkerExitError extends Error {
  declare readonly code: "ERR_SYNCHRONICITY_WORKER_EXIT";
  /** The worker's exit code, when it exited with one. */
  declare exitCode?: number;
  constructor(message: string, options?: ErrorOptions & { exitCode?: number }) {
    super(message, options);
    if (options?.exitCode !== undefined) this.exitCode = options.exitCode;
  }
}

/** The synchronizer was closed; no more calls can be made through it. */
export class ClosedError extends Error {
  declare readonly code: "ERR_SYNCHRONICITY_CLOSED";
}

/** A blocking call was made from the synchronizer's own worker thread, where it could never finish. */
export class DeadlockError extends Error {
  declare readonly code: "ERR_SYNCHRONICITY_DEADLOCK";
}

/** A module could not be imported in the worker. `cause` is the worker's own error. */
export class ModuleLoadError extends Error {
  declare readonly code: "ERR_SYNCHRONICITY_MODULE_LOAD";
  /** The module as the worker was asked to import it. */
  declare specifier?: string;
  constructor(message: string, options?: ErrorOptions & { specifier?: string }) {
    super(message, options);
    if (options?.specifier !== undefined) this.specifier = options.specifier;
  }
}

/** An export, member or object that does not exist (or no longer exists) was used. */
export class ReferenceLostError extends Error {
  declare readonly code: "ERR_SYNCHRONICITY_REFERENCE";
}

/** The call was interrupted by Ctrl-C (SIGINT) while the caller was blocked in it. */
export class InterruptedError extends Error {
  declare readonly code: "ERR_SYNCHRONICITY_INTERRUPTED";
}

/**
 * A pool (option `threads`) had as many calls in flight as its queue holds (`maxQueue` beyond one
 * per worker): the call was refused, nothing was sent.
 */
export class QueueFullError extends Error {
  declare readonly code: "ERR_SYNCHRONICITY_QUEUE_FULL";
}

/** Library error classes by name, so that they are re-created as themselves on the other side. */
export const libraryErrors: Readonly<Record<string, abstract new (...args: never[]) => Error>> = {
  DataCloneError,
  TimeoutError,
  WorkerExitError,
  ClosedError,
  DeadlockError,
  ModuleLoadError,
  ReferenceLostError,
  InterruptedError,
  QueueFullError,
};

const codes: Record<string, string> = {
  DataCloneError: "ERR_SYNCHRONICITY_DATA_CLONE",
  TimeoutError: "ERR_SYNCHRONICITY_TIMEOUT",
  WorkerExitError: "ERR_SYNCHRONICITY_WORKER_EXIT",
  ClosedError: "ERR_SYNCHRONICITY_CLOSED",
  DeadlockError: "ERR_SYNCHRONICITY_DEADLOCK",
  ModuleLoadError: "ERR_SYNCHRONICITY_MODULE_LOAD",
  ReferenceLostError: "ERR_SYNCHRONICITY_REFERENCE",
  InterruptedError: "ERR_SYNCHRONICITY_INTERRUPTED",
  QueueFullError: "ERR_SYNCHRONICITY_QUEUE_FULL",
};
for (const [name, ctor] of Object.entries(libraryErrors)) {
  Object.defineProperty(ctor.prototype, "name", { value: name, writable: true, configurable: true, enumerable: false });
  Object.defineProperty(ctor.prototype, "code", { value: codes[name], writable: true, configurable: true, enumerable: false });
}

export function libraryErrorName(error: Error): string | undefined {
  const proto: unknown = Object.getPrototypeOf(error);
  for (const [name, ctor] of Object.entries(libraryErrors)) {
    if (proto === ctor.prototype) return name;
  }
  return undefined;
}
