// A caller thread of the stress test (test/stress.test.ts): its own Synchronizer, the shared
// workload (test/fixtures/stress-caller.ts), then its tallies and its worker's counters, posted back.
import { parentPort, workerData } from "node:worker_threads";
import { Synchronizer } from "synchronicity-js";
import { runWorkload } from "../../build/fixtures/stress-caller.js";

const { options, callTimeoutMs } = workerData;
// A default timeout for every call: a call that hangs fails (and is reported) instead of stalling.
const synchronizer = new Synchronizer({ timeout: callTimeoutMs });
const api = synchronizer.wrapModule(new URL("../../build/fixtures/stress.js", import.meta.url));
try {
  const tallies = await runWorkload(api, options);
  const stats = api.stats();
  const diagnostics = await synchronizer.diagnostics();
  parentPort.postMessage({ ok: true, tallies, stats, pendingCalls: diagnostics.caller.pendingCalls });
} catch (error) {
  parentPort.postMessage({ ok: false, label: options.label, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
} finally {
  await synchronizer.close();
}
