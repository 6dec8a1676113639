// How the two threads behind a synchronizer start (caller/host/worker-host.ts): the loop thread
// first, the supervisor once the loop has booted. Every Worker the library creates is recorded with
// the loop's shared STATE at that moment (slot 1: 0 starting, 1 running, 2 exited). Prints one JSON
// line.
import { createRequire } from "node:module";
import { Synchronizer } from "synchronicity-js";

const threads = createRequire(import.meta.url)("node:worker_threads");
const created = [];
let inFirstCall = false;
const Original = threads.Worker;
threads.Worker = class RecordedWorker extends Original {
  constructor(file, options) {
    const shared = options?.workerData?.shared;
    created.push({ file: String(file).split("/").pop(), state: shared === undefined ? null : Atomics.load(shared, 1), inFirstCall });
    super(file, options);
  }
};

const fixture = (name) => new URL(`../../build/fixtures/${name}.js`, import.meta.url);
const report = {};

// 1. A first blocking call: its result, then how Ctrl-C would reach a blocked call.
const synchronizer = new Synchronizer();
const api = synchronizer.wrapModule(fixture("basic"));
inFirstCall = true;
report.result = api.add(2, 3);
inFirstCall = false;
report.signals = (await synchronizer.diagnostics()).signals;
report.threads = created.splice(0);
await synchronizer.close();

// 2. The loop thread dies in its first call, before its supervisor can have booted: the blocked
// caller still learns of it, with the exit code.
const dying = new Synchronizer({ restart: false });
const faults = dying.wrapModule(fixture("faults"));
try {
  faults.exitWorker(7);
  report.death = "no error";
} catch (error) {
  report.death = { name: error.name, exitCode: error.exitCode };
}
report.deathThreads = created.splice(0).map(({ file }) => file);
console.log(JSON.stringify(report));
