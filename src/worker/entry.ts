/**
 * The loop thread's entry file (dist/cjs/worker/loop.js, a bundle of its own): loads the worker's
 * library and runs its request loop, lending it this file's `import()` (worker/importer.ts).
 *
 * When the caller has compiled the library for this thread (protocol/library-code.ts), the library
 * is compiled from the caller's source with its code cache, and registered as the module
 * dist/cjs/worker-lib.js before it runs, as require() would: an implementation that requires
 * "synchronicity-js/worker" gets this copy, and its state. Otherwise (no cache yet, none made,
 * source maps on) it is required as usual.
 */
import { workerData } from "node:worker_threads";
import { dirname, join } from "node:path";
import type { LoopWorkerData, runLoop } from "./loop.js";
import { readLibraryCode } from "../protocol/library-code.js";
import { vm } from "../builtins.js";
import { writeOutputDirectly } from "./output.js";

declare const require: NodeJS.Require;
declare const module: NodeJS.Module;
declare const __dirname: string;

interface WorkerLibrary {
  readonly runLoop: typeof runLoop;
}

/**
 * How this thread loaded its library, for tests and for diagnosing a slow start: "cache" (the
 * caller's code cache), "rejected" (the caller's source, compiled anew: V8 refused the cache), or
 * "file" (required).
 */
const LOADED_FROM = Symbol.for("synchronicity.libraryLoadedFrom");

function loadLibrary(): WorkerLibrary {
  const data = workerData as LoopWorkerData & { libraryCode?: SharedArrayBuffer };
  const sourceMaps = (process as { sourceMapsEnabled?: boolean }).sourceMapsEnabled === true;
  const code = data.libraryCode !== undefined && !sourceMaps ? readLibraryCode(data.libraryCode) : undefined;
  // The thread keeps its workerData: let the buffer go.
  delete data.libraryCode;
  if (code === undefined) {
    mark("file");
    return require("../worker-lib.js") as WorkerLibrary;
  }
  const file = join(__dirname, "..", "worker-lib.js");
  const script = new (vm().Script)(code.source, { filename: file, cachedData: code.cache });
  mark(script.cachedDataRejected === true ? "rejected" : "cache");
  const Module = module.constructor as new (id: string, parent: NodeJS.Module) => NodeJS.Module;
  const library = new Module(file, module);
  library.filename = file;
  // (The library requires built-ins only, which the build checks: this file's require will do.)
  library.paths = module.paths;
  require.cache[file] = library;
  try {
    (script.runInThisContext() as (...args: unknown[]) => void).call(library.exports, library.exports, require, library, file, dirname(file));
  } catch (error) {
    delete require.cache[file];
    throw error;
  }
  library.loaded = true;
  return library.exports as WorkerLibrary;
}

function mark(how: "cache" | "rejected" | "file"): void {
  (globalThis as Record<symbol, unknown>)[LOADED_FROM] = how;
}

// First: the caller does not forward this thread's streams (caller/host/loop-thread.ts).
writeOutputDirectly();
loadLibrary().runLoop((specifier) => import(specifier));
