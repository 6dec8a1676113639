/**
 * How long a waiting thread keeps checking shared memory before it goes to sleep.
 *
 * Waking a sleeping thread on another core costs tens of microseconds; a reply that lands while
 * the waiter still spins costs a fraction of one. So a waiter spins, but only when it pays:
 *
 * - On one CPU (os.availableParallelism(), which honours taskset and cgroup affinity), never: every
 *   spin would steal the time slice of the very thread it waits for.
 * - Otherwise it adapts to what it observes. A wait that ended within MAX_SPIN_MS, by spinning or
 *   soon after it slept, restores the full budget; a longer one halves it (down to MIN_SPIN_MS).
 *   Calls that answer in microseconds keep the long budget; calls that take milliseconds waste
 *   little before sleeping.
 * - When the machine is oversubscribed (over twice as many runnable threads as CPUs), as on one CPU:
 *   the thread we wait for is likely waiting for a CPU, and our spin would hold one. On Linux the
 *   count is the kernel's count of threads runnable now (/proc/loadavg), smoothed over a few
 *   samples; elsewhere the one-minute load average, which lags: after a busy minute, spinning
 *   stays off for a while.
 */
import { readFileSync } from "node:fs";
import { os } from "../../builtins.js";
import { nowMs } from "../clock.js";

const MAX_SPIN_MS = 0.2;
const MIN_SPIN_MS = 0.01;

/** CPUs this process may run on (1 when pinned to one core); 0 until the first cpuCrowded(), which reads it. */
let cpus = 0;

/**
 * Internal, for tests and benchmarks on a shared machine: SYNCHRONICITY_SPIN=always ignores the load
 * average (still never on one CPU), =never never spins. Unset: adaptive, as described above.
 */
const mode = process.env["SYNCHRONICITY_SPIN"];

let crowdedUntil = 0;
let crowded = false;
/** The runnable count, smoothed over the last few samples (Linux). */
let runnableAverage: number | undefined;

/**
 * Whether spinning would take a CPU from the thread being waited for. On Linux the runnable count
 * is sampled every 100 ms at most and smoothed (weight 0.3 for the newest sample), so that one
 * momentary spike (the count jumps to 6 or 7 for an instant on a quiet 2-core machine) does not
 * turn spinning off, while load that lasts does within a few samples. Elsewhere the load average
 * is read once a second.
 */
export function cpuCrowded(now: number): boolean {
  if (cpus === 0) {
    cpus = os().availableParallelism();
    crowded = cpus === 1 || mode === "never";
  }
  if (cpus > 1 && mode === undefined && now >= crowdedUntil) {
    const running = runnableNow();
    if (running === undefined) {
      crowdedUntil = now + 1000;
      crowded = os().loadavg()[0]! > 2 * cpus;
    } else {
      crowdedUntil = now + 100;
      runnableAverage = runnableAverage === undefined ? running : runnableAverage * 0.7 + running * 0.3;
      crowded = runnableAverage > 2 * cpus;
    }
  }
  return crowded;
}

let procReadable = process.platform === "linux";

/**
 * Threads runnable at this moment, machine-wide: the fourth field of /proc/loadavg, "running/total"
 * (Linux). Undefined elsewhere, or when /proc cannot be read.
 */
export function runnableNow(): number | undefined {
  if (!procReadable) return undefined;
  try {
    const running = Number.parseInt(readFileSync("/proc/loadavg", "latin1").split(" ")[3] ?? "", 10);
    if (Number.isFinite(running)) return running;
  } catch {
    // No /proc (a sandbox): the load average it is, from now on.
  }
  procReadable = false;
  return undefined;
}

export class SpinPolicy {
  private budgetMs = MAX_SPIN_MS;
  /** When the last spin began (the start of the wait, for `slept`). */
  startedAt = 0;

  /**
   * Spin until `slot` of `memory` differs from `value` or the budget is spent. Returns true when
   * it changed (no need to sleep).
   */
  spin(memory: Int32Array, slot: number, value: number): boolean {
    const now = (this.startedAt = nowMs());
    if (cpuCrowded(now)) return Atomics.load(memory, slot) !== value;
    const deadline = now + this.budgetMs;
    for (;;) {
      for (let i = 0; i < 256; i++) {
        if (Atomics.load(memory, slot) !== value) return true;
      }
      if (nowMs() > deadline) return false;
    }
  }

  /**
   * A wait that had to sleep ended after `waitedMs` in all. Had the reply come within the longest
   * spin, spinning that long would have saved the wake-up: back to the full budget. Only waits
   * longer than that (slow calls) shrink it. Judging by the spin alone would be a trap: once the
   * budget is shorter than the round trip, every spin fails and the budget never grows again.
   */
  slept(waitedMs: number): void {
    this.budgetMs = waitedMs <= MAX_SPIN_MS ? MAX_SPIN_MS : Math.max(MIN_SPIN_MS, this.budgetMs / 2);
  }
}
