// Options (issue 17, item 5): a time limit beyond what a Node timer holds (2^31-1 ms) means "no
// limit" instead of firing after 1 ms, every option is validated, and unknown options are refused.
import { afterAll, describe, expect, it } from "vitest";
import { Synchronizer, TimeoutError } from "synchronicity-js";
import { fixture, runNode, script } from "./helpers.js";

type Basic = typeof import("./fixtures/basic.js");

const huge = [2 ** 31, 2 ** 40, Infinity];
const warnings: string[] = [];
process.on("warning", (warning) => warnings.push(warning.name));

const synchronizer = new Synchronizer();
const api = synchronizer.wrapModule<Basic>(fixture("basic"));
afterAll(() => synchronizer.close());

describe("time limits beyond a timer's range mean no limit", () => {
  it.each(huge)(".aio, .future and blocking calls with timeout %d wait for the result", async (timeout) => {
    const square = api.square.with({ timeout });
    expect(await square.aio(3, 150)).toBe(9);
    expect(square.future(4, 150).result()).toBe(16);
    expect(await square.future(5, 150)).toBe(25);
    expect(square(6, 150)).toBe(36);
    expect(warnings).toEqual([]);
  });

  it("the synchronizer's timeout and loadTimeout", async () => {
    for (const limit of huge) {
      const s = new Synchronizer({ timeout: limit, loadTimeout: limit, closeTimeoutMs: limit });
      const wrapped = s.wrapModule<Basic>(fixture("basic"), { eager: true });
      expect(wrapped.square(3, 150)).toBe(9);
      expect(await wrapped.square.aio(4, 150)).toBe(16);
      await s.close();
    }
    expect(warnings).toEqual([]);
  });

  it("a small timeout still fires", async () => {
    await expect(api.square.with({ timeout: 50 }).aio(3, 2_000)).rejects.toBeInstanceOf(TimeoutError);
    expect(() => api.square.with({ timeout: 50 })(3, 2_000)).toThrow(TimeoutError);
  });

  it.each(["Infinity", String(2 ** 31)])("shutdownTimeout %s lets the cleanup at exit run to its end", async (limit) => {
    const result = await runNode(script("shutdown-limit.mjs"), [limit], { deadlineMs: 20_000 });
    expect(result.stdout.split("\n").filter(Boolean)).toEqual(["task started", "task cleanup begins (InterruptedError)", "task cleanup done"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
  });
});

describe("validation", () => {
  it("refuses unknown options, naming them", () => {
    expect(() => new Synchronizer({ timout: 5 } as never)).toThrow(/unknown option "timout" \(known: execArgv, .*timeout/);
  });

  it.each([
    [{ timeout: -1 }, /options.timeout must be a non-negative number of milliseconds/],
    [{ loadTimeout: Number.NaN }, /options.loadTimeout must be/],
    [{ shutdownTimeout: "3s" }, /options.shutdownTimeout must be .* not "3s"/],
    [{ closeTimeoutMs: null }, /options.closeTimeoutMs must be/],
    [{ terminateOnTimeout: 1 }, /options.terminateOnTimeout must be a boolean, not number/],
    [{ resourceLimits: { maxOldGenerationSizeMB: 64 } }, /options.resourceLimits has an unknown field "maxOldGenerationSizeMB"/],
    [{ resourceLimits: { maxOldGenerationSizeMb: -5 } }, /options.resourceLimits.maxOldGenerationSizeMb must be a positive number/],
    // Too small for a thread to start: it would die before it could report it (see options.ts).
    [{ resourceLimits: { maxOldGenerationSizeMb: 4 } }, /options.resourceLimits.maxOldGenerationSizeMb must be at least 16 \(megabytes\), not 4: with less, Node cannot start a worker thread/],
    [{ resourceLimits: { stackSizeMb: 0.2 } }, /options.resourceLimits.stackSizeMb must be at least 1 \(megabytes\), not 0.2/],
    [{ resourceLimits: [] }, /options.resourceLimits must be an object/],
  ])("refuses %o", (options, message) => {
    expect(() => new Synchronizer(options as never)).toThrow(message);
  });

  it("refuses a bad call timeout and stays usable", () => {
    expect(() => api.square.with({ timeout: -5 })).toThrow(/timeout must be a non-negative number/);
    expect(api.square(7, 1)).toBe(49);
  });
});
