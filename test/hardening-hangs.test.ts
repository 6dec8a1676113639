// Values too deep to receive, and blocking re-entrancy deeper than the stack: a clear error for the
// call concerned, nothing hangs (issue 9, items 1 and 4). Subprocesses with deadlines.
import { describe, expect, it } from "vitest";
import { run, runNode, script } from "./helpers.js";

async function report(name: string, args: string[] = []): Promise<Record<string, { ok?: unknown; error?: { name: string; message: string }; reached?: number }> & Record<string, unknown>> {
  const result = await runNode(script(name), args, { deadlineMs: 90_000 });
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout.trim().split("\n").pop()!) as never;
}

describe("a value nested too deeply for the receiving thread (item 1)", () => {
  it("fails that call alone with a DataCloneError, in both directions, and leaves nothing pending", async () => {
    const r = await report("deep-values.mjs");
    for (const form of ["aio", "blocking"]) {
      expect(r[form]!.error?.name, form).toBe("DataCloneError");
      expect(r[form]!.error?.message, form).toMatch(/the reply could not be received: it is nested too deeply for this thread's stack/);
    }
    for (const form of ["callback", "callbackAio"]) {
      expect(r[form]!.error?.name, form).toBe("DataCloneError");
      expect(r[form]!.error?.message, form).toMatch(/the callback's arguments could not be received/);
    }
    expect(r["blockingMeanwhile"]!.ok).toBe("pong");
    expect(r["bystander"]!.ok).toBe("bystander");
    expect(r["returned"]!.ok).toBe(1_000);
    expect(r["sent"]!.ok).toBe(1_000);
    expect(r["callbackArgument"]!.ok).toBe(1_000);
    expect(r["after"]!.ok).toBe("pong");
    expect(r["pending"]).toBe(0);
    expect(r["handlesKept"]).toBe(0);
  }, 100_000);
});

describe("blocking re-entrancy deeper than the stack (item 4)", () => {
  it("is refused with an error naming the depth, before anything is sent; shallower nests and .aio work", async () => {
    const r = await report("reentrancy.mjs");
    expect(r["shallow"]!.ok).toBe(42);
    expect(r["shallow"]!.reached).toBe(200);
    const deep = r["deep"]!;
    expect(deep.error?.name).toBe("RangeError");
    expect(deep.error?.message).toMatch(/a blocking call nested \d+ deep .* would overflow this thread's stack; it was not sent/);
    expect(deep.error?.message).not.toMatch(/Maximum call stack/);
    expect(deep.reached).toBeGreaterThan(300);
    expect(r["after"]).toBe(4);
    expect(r["asyncDeep"]).toBe(10);
    expect(r["pending"]).toBe(0);
  }, 100_000);

  it("goes as deep as the stack allows: 1,000 levels with a larger stack", async () => {
    const withLargerStack = await run(process.execPath, ["--stack-size=3000", script("reentrancy.mjs")], { deadlineMs: 90_000 });
    expect(withLargerStack.stderr).toBe("");
    const r = JSON.parse(withLargerStack.stdout.trim().split("\n").pop()!) as { deep: { ok?: unknown; reached: number } };
    expect(r.deep.ok).toBe(42);
    expect(r.deep.reached).toBe(1_000);
  }, 200_000);
});
