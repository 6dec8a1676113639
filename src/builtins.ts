/**
 * The Node built-ins that cost time to load, required on first use instead of when the library is
 * imported.
 *
 * Node compiles a built-in the first time a process requires it, unless its own start-up already
 * did: node:fs, node:path, node:url and node:util are loaded before any user code (a worker's
 * start loads no node:url: see nodeUrl), so importing them costs nothing, but
 * node:worker_threads, node:v8 (which brings node:stream along), node:diagnostics_channel and
 * node:os cost about 5 ms together, which an import of this library used to pay even when it
 * never made a Synchronizer. node:module is loaded only in part before an
 * ES module main's code (or a worker's); its public face, which brings node:internal/source_map,
 * costs 0.5 ms more, in the caller's import and in every worker's start. They are needed only once
 * a Synchronizer starts its worker (or, in the worker, once its loop runs, where worker_threads is
 * loaded already; node:module only for a preload, a CommonJS TypeScript file or the signal
 * helper), so every module that uses them asks here instead of importing them. The cost moves
 * rather than vanishes for a process that does call: the first request loads node:worker_threads
 * (with node:stream and node:diagnostics_channel, which it requires) before it can start the
 * threads; node:os and node:vm right after the start, while the thread boots (the code cache of
 * the worker's library: caller/host/library-cache.ts); node:v8 only for a deep value.
 *
 * test/lazy-import.test.ts fails if importing the package loads any of them again.
 */
import type * as DiagnosticsChannel from "node:diagnostics_channel";
import type * as NodeModule from "node:module";
import type * as Os from "node:os";
import type * as Url from "node:url";
import type * as V8 from "node:v8";
import type * as Vm from "node:vm";
import type * as WorkerThreads from "node:worker_threads";

// How to load a built-in without loading node:module for createRequire: Node's own loader, from
// 20.16 and 22.3 (also Deno and Bun); else the bundle's `require` (dist/cjs is CommonJS).
declare const require: NodeJS.Require | undefined;
const getBuiltinModule = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;

function load<T>(id: string): T {
  if (typeof getBuiltinModule === "function") return getBuiltinModule.call(process, id) as T;
  if (typeof require === "function") return require(id) as T;
  // An ES module build of this library (an app's bundle) on a Node older than 20.16.
  throw new Error(`synchronicity-js cannot load ${id} here: this Node has no process.getBuiltinModule (20.16 or later has) and the library is not running as CommonJS`);
}

/** A function that loads built-in `id` on its first call and returns it then and after. */
function onFirstUse<T>(id: string): () => T {
  let module: T | undefined;
  return () => (module ??= load<T>(id));
}

export const workerThreads = onFirstUse<typeof WorkerThreads>("node:worker_threads");

export const v8 = onFirstUse<typeof V8>("node:v8");

export const diagnosticsChannel = onFirstUse<typeof DiagnosticsChannel>("node:diagnostics_channel");

export const os = onFirstUse<typeof Os>("node:os");

/** node:module, for createRequire and isBuiltin. */
export const nodeModule = onFirstUse<typeof NodeModule>("node:module");

/** node:vm, for the code cache of the worker's library (caller/host/library-cache.ts, worker/entry.ts). */
export const vm = onFirstUse<typeof Vm>("node:vm");

/**
 * node:url, for modules the worker's library shares: loaded before user code on a main thread, but
 * not in a worker, where requiring it at the library's load cost 0.15 ms of every start, for
 * conversions that most threads never make.
 */
export const nodeUrl = onFirstUse<typeof Url>("node:url");
