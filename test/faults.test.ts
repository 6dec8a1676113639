// Nothing hangs, nothing is lost: worker faults, each in a subprocess with a deadline (issue 6).
import { describe, expect, it } from "vitest";
import { runNode, script } from "./helpers.js";

interface Outcome {
  ok?: unknown;
  error?: { name: string; message: string; exitCode?: number; cause?: string; causeName?: string };
  ms?: number;
}

/**
 * Runs one scenario of test/scripts/faults.mjs. Those that report print a JSON line last; when it
 * is missing (the script crashed), the test fails with the script's whole output.
 */
async function scenario(name: string, reports = true): Promise<{ report: Record<string, Outcome>; stdout: string; code: number | null }> {
  const result = await runNode(script("faults.mjs"), [name], { deadlineMs: 30_000 });
  const output = `faults.mjs ${name} (exit code ${result.code}, signal ${result.signal})\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`;
  expect(result.stderr, output).toBe("");
  const lines = result.stdout.trim().split("\n");
  const last = lines[lines.length - 1] ?? "";
  let report: Record<string, Outcome> = {};
  if (reports) {
    try {
      report = JSON.parse(last) as Record<string, Outcome>;
    } catch {
      throw new Error(`${output}\n(no JSON report on the last line)`);
    }
  }
  return { report, stdout: result.stdout, code: result.code };
}

const deaths: Array<[string, RegExp, { code?: number; cause?: RegExp }]> = [
  ["exit", /the worker exited with code 3/, { code: 3 }],
  ["uncaught", /the worker stopped on an uncaught error \(RangeError: boom\)/, { cause: /boom/ }],
  ["unhandled", /the worker stopped on an uncaught error \(TypeError: nobody caught me\)/, { cause: /nobody caught me/ }],
  ["oom", /the worker ran out of memory/, { cause: /memory limit/ }],
];

describe.each(deaths)("the worker dies (%s)", (name, reason, details) => {
  it("fails every pending call of every form at once, then restarts for the next call", async () => {
    const { report, code } = await scenario(name);
    expect(code).toBe(0);
    for (const form of ["blocking", "aio", "future", "iterating"]) {
      expect(report[form]!.error?.name, form).toBe("WorkerExitError");
      expect(report[form]!.error?.message, form).toMatch(reason);
    }
    if (details.code !== undefined) expect(report["blocking"]!.error?.exitCode).toBe(details.code);
    if (details.cause !== undefined) expect(report["blocking"]!.error?.cause).toMatch(details.cause);
    // At once: every form has failed within the bound of the worker's death (timed from the call
    // that kills it; the async forms settle as soon as the blocking call hands the thread back).
    for (const form of ["blocking", "aio", "future", "iterating"]) {
      expect(report[form]!.ms, form).toBeLessThan(name === "oom" ? 10_000 : 2_000);
    }
    // A generator of the dead worker, and an object of it: a clear "lost with its worker" error.
    expect(report["generator"]!.error?.name).toBe("ReferenceLostError");
    expect(report["generator"]!.error?.message).toMatch(/lost with its worker/);
    expect(report["held"]!.error?.name).toBe("ReferenceLostError");
    expect(report["held"]!.error?.message).toMatch(/Counter #\d+ was lost with its worker/);
    // Stateless functions and new objects work again in a fresh worker.
    expect(report["after"]!.ok).toBe("pong");
    expect(report["fresh"]!.ok).toBe(1);
  }, 40_000);
});

describe("restart: false", () => {
  it("keeps failing with a clear error after the worker died", async () => {
    const { report } = await scenario("restart-off");
    expect(report["blocking"]!.error?.message).toMatch(/exited with code 4/);
    expect(report["after"]!.error?.name).toBe("WorkerExitError");
    expect(report["after"]!.error?.message).toMatch(/restart is off/);
    expect(report["afterAio"]!.error?.message).toMatch(/restart is off/);
  });
});

describe("a stuck worker", () => {
  it("is bounded by a call timeout, replaced with terminateOnTimeout, and the process still exits", async () => {
    const { report, code } = await scenario("stuck");
    expect(code).toBe(0);
    expect(report["blocking"]!.error?.name).toBe("TimeoutError");
    expect(report["blocking"]!.ms).toBeGreaterThanOrEqual(290);
    expect(report["blocking"]!.ms).toBeLessThan(2_000);
    expect(report["other"]!.error?.name).toBe("WorkerExitError");
    expect(report["other"]!.error?.message).toMatch(/terminated because a call timed out/);
    expect(report["after"]!.ok).toBe("pong");
    expect(report["plain"]!.error?.name).toBe("TimeoutError");
  });
});

describe("shutdown", () => {
  it("at the end of a script, closes open generators and disposes held objects in the worker, newest first", async () => {
    const { stdout, code } = await scenario("shutdown", false);
    expect(code).toBe(0);
    expect(stdout.trim().split("\n")).toEqual(["script ends", "generator g closed", "disposed second", "disposed first"]);
  });

  it("at process.exit(), aborts calls in flight and lets their cleanup run first", async () => {
    const { stdout, code } = await scenario("exit-in-flight", false);
    expect(code).toBe(0);
    expect(stdout.trim().split("\n")).toEqual(["exiting", "task in-flight cleaned up"]);
  });

  it("close() rejects calls in flight at once, cleans up, and no work goes on after it resolves", async () => {
    const { report, stdout } = await scenario("close");
    expect(report["inFlight"]!.error?.name).toBe("ClosedError");
    expect(report["orphan"]!.error?.name).toBe("ClosedError");
    expect(report["afterClose"]!.error?.message).toMatch(/synchronizer is closed/);
    expect(report["resource"]!.error?.message).toMatch(/Resource #\d+ cannot be used: the synchronizer is closed/);
    expect(stdout).toContain("task in-flight cleaned up");
    expect(stdout).toContain("disposed held");
    expect(stdout).not.toContain("ORPHAN OUTPUT");
  });
});
