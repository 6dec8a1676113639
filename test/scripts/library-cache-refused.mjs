// When V8 refuses the process's code cache of the worker's library (here: a V8 flag changed after the
// cache was made, which changes the flags' hash that V8 checks), a thread compiles the source it was
// given and runs as usual. Prints, as JSON, what a thread started before the change and one started
// after it report, with the CPUs this process may use and the runtime.
import { availableParallelism } from "node:os";
import { setFlagsFromString } from "node:v8";
import { Synchronizer } from "synchronicity-js";

const impl = new URL("./library-cache/impl.mjs", import.meta.url);
const report = async () => {
  const synchronizer = new Synchronizer();
  const result = synchronizer.wrapModule(impl).report();
  await synchronizer.close();
  return result;
};
const before = await report();
setFlagsFromString("--no-flush-bytecode");
const after = await report();
const runtime = process.versions.bun ? "bun" : process.versions.deno ? "deno" : "node";
console.log(JSON.stringify({ cpus: availableParallelism(), runtime, before, after }));
