// The pool-cpu scenario, the same for every library: a batch of CPU_CALLS synchronous calls of
// about 50 ms each, all in flight at once, awaited together. Results are µs per call, so the
// calls/s column is the pool's throughput.
import { checksum, expectEqual, measure } from "./harness.js";
import { work, WORK } from "../impl/cpu.mjs";

export const CPU_CALLS = 8;

/** `run(n)` is the library's async call of work(n); the batch result is checked once before measuring. */
export async function measureCpuBatch(run, cfg) {
  const batch = async () => checksum(await Promise.all(Array.from({ length: CPU_CALLS }, () => run(WORK))));
  expectEqual(await batch(), CPU_CALLS * work(WORK), "sum of a batch of work()");
  return measure(async (n) => {
    for (let i = 0; i < n; i++) await batch();
  }, cfg, CPU_CALLS);
}
