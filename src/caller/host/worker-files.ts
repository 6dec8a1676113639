/**
 * Where the entry files of the two threads are: dist/cjs/worker/supervisor.js and
 * dist/cjs/worker/loop.js (with dist/cjs/worker/boot-watch.js, which the loop thread may preload,
 * and dist/cjs/worker-lib.js, the library it loads, which the caller compiles for it), beside this
 * library's bundle. A bundler that copies this library into a bundle leaves those files behind. A
 * Worker whose file is missing reports it only on the event loop of the thread that started it,
 * which a blocked caller cannot run, so the files are checked here, once, and their absence is an
 * error that says what to do.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export interface WorkerEntries {
  readonly supervisor: URL;
  readonly loop: URL;
  readonly bootWatch: URL;
  /** The worker's library (caller/host/library-cache.ts). */
  readonly library: URL;
}

let found: WorkerEntries | undefined;

export function workerEntries(): WorkerEntries {
  if (found !== undefined) return found;
  // Undefined when this code was bundled into an ES module from the CommonJS build (no __filename).
  const here = import.meta.url as string | undefined;
  // `here` is the library's bundle, dist/cjs/lib.js (see scripts/build.mjs).
  const supervisor = here ? new URL("./worker/supervisor.js", here) : undefined;
  const loop = here ? new URL("./worker/loop.js", here) : undefined;
  const bootWatch = here ? new URL("./worker/boot-watch.js", here) : undefined;
  const library = here ? new URL("./worker-lib.js", here) : undefined;
  const missing = [supervisor, loop, bootWatch, library].find((entry) => entry === undefined || entry.protocol !== "file:" || !existsSync(fileURLToPath(entry)));
  if (supervisor === undefined || loop === undefined || bootWatch === undefined || library === undefined || missing !== undefined) {
    throw new Error(
      `synchronicity-js cannot find its worker files${missing?.protocol === "file:" ? ` (${fileURLToPath(missing)})` : ""}: it was probably bundled into another file. ` +
        `Keep it external in your bundler (esbuild: --external:synchronicity-js, or --packages=external) so that it loads from node_modules.`,
    );
  }
  return (found = { supervisor, loop, bootWatch, library });
}
