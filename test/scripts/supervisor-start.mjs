// When the supervisor thread behind a synchronizer starts (caller/host/worker-host.ts): not with
// the loop thread, and not for short calls; for a blocking call that goes on, for diagnostics(),
// and when the loop thread dies. Every Worker the library creates is recorded, with the loop's
// shared STATE at that moment (slot 1: 0 starting, 1 running, 2 exited) and the step under way.
// Prints one JSON line.
import { createRequire } from "node:module";
import { Synchronizer } from "synchronicity-js";

const threads = createRequire(import.meta.url)("node:worker_threads");
const created = [];
let step = "";
const Original = threads.Worker;
threads.Worker = class RecordedWorker extends Original {
  constructor(file, options) {
    const shared = options?.workerData?.shared;
    created.push({ file: String(file).split("/").pop(), state: shared === undefined ? null : Atomics.load(shared, 1), step });
    super(file, options);
  }
};

const fixture = (name) => new URL(`../../build/fixtures/${name}.js`, import.meta.url);
const report = {};

// 1. Short blocking calls, the first one included, start the loop thread alone; diagnostics()
// starts the supervisor and resolves once it runs, saying how Ctrl-C reaches a blocked call.
const synchronizer = new Synchronizer();
const api = synchronizer.wrapModule(fixture("basic"));
step = "short calls";
report.results = [api.add(2, 3), api.add(4, 5)];
step = "diagnostics";
report.signals = (await synchronizer.diagnostics()).signals;
report.short = created.splice(0);
await synchronizer.close();

// 2. A blocking call that goes on starts it while it waits.
const slow = new Synchronizer();
const faults = slow.wrapModule(fixture("faults"));
step = "first call";
faults.ping();
step = "long call";
report.long = faults.slow(500);
step = "";
report.longThreads = created.splice(0);
await slow.close();

// 3. The loop thread dies in its first call, before any supervisor: the blocked caller still
// learns of it, with the exit code.
const dying = new Synchronizer({ restart: false });
step = "dying call";
try {
  dying.wrapModule(fixture("faults")).exitWorker(7);
  report.death = "no error";
} catch (error) {
  report.death = { name: error.name, exitCode: error.exitCode };
}
report.deathThreads = created.splice(0);
console.log(JSON.stringify(report));
