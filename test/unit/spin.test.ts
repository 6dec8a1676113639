// The spin's view of the machine: how many threads are runnable now (Linux), which decides whether a
// waiting thread spins or sleeps at once (protocol/shm/spin.ts).
import { describe, expect, it } from "vitest";
import { cpuCrowded, runnableNow } from "../../src/protocol/shm/spin.js";

describe("spin policy: runnable threads", () => {
  it("on Linux, reads the count of threads runnable now (this one at least); elsewhere, has none", () => {
    const running = runnableNow();
    if (process.platform !== "linux") {
      expect(running).toBeUndefined();
      return;
    }
    expect(Number.isInteger(running)).toBe(true);
    expect(running).toBeGreaterThanOrEqual(1);
  });

  it("answers whether the CPUs are crowded, as a boolean, without throwing", () => {
    expect(typeof cpuCrowded(performance.now())).toBe("boolean");
  });
});
