// What a loop thread says of the worker's library it loaded (src/worker/entry.ts).
import { createRequire } from "node:module";
import { setTimeout as sleep } from "node:timers/promises";
import { threadId } from "node:worker_threads";
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

/** report(), once `ms` have passed, with the thread it ran in: a pool's calls that overlap run in threads of their own. */
export async function reportLater(ms) {
  await sleep(ms);
  return { ...(await report()), threadId };
}
