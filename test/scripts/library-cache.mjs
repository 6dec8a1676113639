// How loop threads load the worker's library (src/caller/host/library-cache.ts, src/worker/entry.ts):
// three Synchronizers, one after the other, each with its own thread; prints, as JSON, what each
// thread reports, with the CPUs this process may use and the runtime.
import { availableParallelism } from "node:os";
import { Synchronizer } from "synchronicity-js";

const impl = new URL("./library-cache/impl.mjs", import.meta.url);
const reports = [];
for (let i = 0; i < 3; i++) {
  const synchronizer = new Synchronizer();
  reports.push(synchronizer.wrapModule(impl).report());
  await synchronizer.close();
}
const runtime = process.versions.bun ? "bun" : process.versions.deno ? "deno" : "node";
console.log(JSON.stringify({ cpus: availableParallelism(), runtime, reports }));
