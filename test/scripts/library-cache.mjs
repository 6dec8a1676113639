// How loop threads load the worker's library (src/caller/host/library-cache.ts, src/worker/entry.ts):
// three Synchronizers, one after the other, each with its own thread, then a pool of three threads;
// prints, as JSON, what each thread reports, with the CPUs this process may use and the runtime.
import { availableParallelism } from "node:os";
import { Synchronizer } from "synchronicity-js";

const impl = new URL("./library-cache/impl.mjs", import.meta.url);
const reports = [];
for (let i = 0; i < 3; i++) {
  const synchronizer = new Synchronizer();
  reports.push(synchronizer.wrapModule(impl).report());
  await synchronizer.close();
}
// Then a pool's threads, which the rest of the caller's library starts (dist/cjs/core.js, which
// has a copy of the code that makes the cache: the one made above must serve them too).
const pool = new Synchronizer({ threads: 3 });
const overlapping = await Promise.all([0, 1, 2].map(() => pool.wrapModule(impl).reportLater.aio(300)));
await pool.close();
const poolReports = overlapping.map(({ threadId: _threadId, ...report }) => report);
const poolThreads = new Set(overlapping.map((report) => report.threadId)).size;
const runtime = process.versions.bun ? "bun" : process.versions.deno ? "deno" : "node";
console.log(JSON.stringify({ cpus: availableParallelism(), runtime, reports, poolReports, poolThreads }));
