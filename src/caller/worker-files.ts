/**
 * Where the supervisor thread's entry file is: beside this library's own files (the supervisor
 * finds the worker's loop beside itself). A bundler that copies this library into a bundle leaves
 * those files behind. A Worker whose file is missing reports it only on the event loop of the
 * thread that started it, which a blocked caller cannot run, so the file is checked here, once,
 * and its absence is an error that says what to do.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

let found: URL | undefined;

export function supervisorEntry(): URL {
  if (found !== undefined) return found;
  // Undefined when this code was bundled into an ES module from the CommonJS build (no __filename).
  const here = import.meta.url as string | undefined;
  // `here` is the library's bundle, dist/cjs/lib.js (see scripts/build.mjs).
  const entry = here ? new URL("./worker/supervisor.js", here) : undefined;
  if (entry === undefined || entry.protocol !== "file:" || !existsSync(fileURLToPath(entry))) {
    throw new Error(
      `synchronicity-js cannot find its worker files${entry ? ` (${fileURLToPath(entry)})` : ""}: it was probably bundled into another file. ` +
        `Keep it external in your bundler (esbuild: --external:synchronicity-js, or --packages=external) so that it loads from node_modules.`,
    );
  }
  return (found = entry);
}
