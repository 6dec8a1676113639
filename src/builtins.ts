/**
 * The Node built-ins that cost time to load, required on first use instead of when the library is
 * imported.
 *
 * Node compiles a built-in the first time a process requires it, unless its own start-up already
 * did: node:fs, node:path, node:url, node:util and node:module are loaded before any user code, so
 * importing them costs nothing, but node:worker_threads, node:v8 (which brings node:stream along),
 * node:diagnostics_channel and node:os cost about 5 ms together, which an import of this library
 * used to pay even when it never made a Synchronizer. They are needed only once a Synchronizer
 * starts its worker (or, in the worker, once its loop runs, where worker_threads is loaded
 * already), so every module that uses them asks here instead of importing them. The cost moves
 * rather than vanishes for a process that does call: the first request loads node:worker_threads
 * (with node:stream and node:diagnostics_channel, which it requires) before it can start the
 * threads; node:os loads at its first wait, while they boot; node:v8 only for a deep value.
 *
 * test/lazy-import.test.ts fails if importing the package loads any of them again.
 */
import { createRequire } from "node:module";
import type * as DiagnosticsChannel from "node:diagnostics_channel";
import type * as Os from "node:os";
import type * as V8 from "node:v8";
import type * as WorkerThreads from "node:worker_threads";

// A built-in resolves the same from any file; the base only has to be a valid one. (import.meta.url
// is undefined when an app bundled this library into an ES module: caller/host/worker-files.ts
// reports that on the first call, which must get that far.)
const base: string | undefined = import.meta.url;
let requireFrom: NodeJS.Require | undefined;

function load<T>(id: string): T {
  requireFrom ??= createRequire(base ?? `${process.cwd()}/`);
  return requireFrom(id) as T;
}

let workerThreadsModule: typeof WorkerThreads | undefined;
let v8Module: typeof V8 | undefined;
let diagnosticsChannelModule: typeof DiagnosticsChannel | undefined;
let osModule: typeof Os | undefined;

export function workerThreads(): typeof WorkerThreads {
  return (workerThreadsModule ??= load<typeof WorkerThreads>("node:worker_threads"));
}

export function v8(): typeof V8 {
  return (v8Module ??= load<typeof V8>("node:v8"));
}

export function diagnosticsChannel(): typeof DiagnosticsChannel {
  return (diagnosticsChannelModule ??= load<typeof DiagnosticsChannel>("node:diagnostics_channel"));
}

export function os(): typeof Os {
  return (osModule ??= load<typeof Os>("node:os"));
}
