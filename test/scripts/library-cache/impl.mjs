// What a loop thread says of the worker's library it loaded (src/worker/entry.ts).
import { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";
import { currentCall } from "synchronicity-js/worker";

const require = createRequire(import.meta.url);

export async function report() {
  // The module "synchronicity-js/worker" requires: it must be the copy the loop runs, the one the
  // entry loaded (whose parent is the entry), not a second one.
  const file = join(dirname(require.resolve("synchronicity-js/worker")), "..", "worker-lib.js");
  const library = require.cache[file];
  return {
    loadedFrom: globalThis[Symbol.for("synchronicity.libraryLoadedFrom")],
    loadedBy: library?.parent ? basename(library.parent.filename) : null,
    loaded: library?.loaded === true,
    inCall: currentCall() !== undefined,
  };
}
