// How the supervisor words the loop thread's end (worker/exit-reason.ts), from what the loop said
// on the lifeline. The out-of-memory branch that only Deno takes is tested here on every runtime;
// faults.test.ts sees it end to end on Deno (scripts/test-runtimes.sh).
import { describe, expect, it } from "vitest";
import { describeLoopEnd, type LoopEnd } from "../../src/worker/exit-reason.js";

const base: LoopEnd = { requested: undefined, started: true, outOfMemory: false, exit: undefined, uncaught: undefined };
const causeOf = (error: unknown) => (error as { message?: string } | undefined)?.message;

describe("describeLoopEnd", () => {
  it("a stop the caller asked for keeps its reason, even over an out-of-memory notice", () => {
    expect(describeLoopEnd({ ...base, requested: "timed out", outOfMemory: true })).toEqual({ code: 1, reason: "timed out" });
  });

  it("the loop's out-of-memory notice (Deno): ran out of memory, with the exit code it ended with and a cause saying how it was seen", () => {
    const report = describeLoopEnd({ ...base, outOfMemory: true, exit: { t: "exit", code: 1, uncaught: false } });
    expect(report.code).toBe(1);
    expect(report.reason).toBe("the worker ran out of memory");
    expect(causeOf(report.error)).toMatch(/memory limit .*Deno stopped the code .*ended itself/);
  });

  it("an end without a word after the loop started: ran out of memory, inferred (Node)", () => {
    const report = describeLoopEnd(base);
    expect(report).toMatchObject({ code: 1, reason: "the worker ran out of memory" });
    expect(causeOf(report.error)).toMatch(/without running its exit handlers .*memory limit/);
  });

  it("an exit code, with or without the uncaught error that caused it", () => {
    expect(describeLoopEnd({ ...base, exit: { t: "exit", code: 3, uncaught: false } })).toEqual({ code: 3, reason: "the worker exited with code 3" });
    const uncaught = { t: "uncaught", error: { encoded: true }, text: "RangeError: boom" } as const;
    expect(describeLoopEnd({ ...base, uncaught, exit: { t: "exit", code: 1, uncaught: true } })).toEqual({
      code: 1,
      reason: "the worker stopped on an uncaught error (RangeError: boom)",
      error: uncaught.error,
    });
  });

  it("an uncaught error or an exit before the loop started (a preload's, seen by boot-watch.ts): said to be while starting, with the error", () => {
    const uncaught = { t: "uncaught", error: { encoded: true }, text: "Error: preload failed" } as const;
    expect(describeLoopEnd({ ...base, started: false, uncaught, exit: { t: "exit", code: 1, uncaught: true } })).toEqual({
      code: 1,
      reason: "the worker stopped on an uncaught error while starting, in a preload or loader of its flags or NODE_OPTIONS (Error: preload failed)",
      error: uncaught.error,
    });
    expect(describeLoopEnd({ ...base, started: false, exit: { t: "exit", code: 7, uncaught: false } }).reason).toBe(
      "the worker exited with code 7 while starting, in a preload or loader of its flags or NODE_OPTIONS",
    );
  });

  it("an end without a word before the loop started: a failure while starting", () => {
    expect(describeLoopEnd({ ...base, started: false }).reason).toMatch(/ended while starting, before its loop ran/);
  });
});
