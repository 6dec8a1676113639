// Nothing leaks when a reply is dropped, and a detached method keeps its object (issue 9, items 8
// and 9). Garbage collection is involved: a subprocess with --expose-gc.
import { describe, expect, it } from "vitest";
import { runNode, script } from "./helpers.js";

describe("dropped replies and detached methods", () => {
  it("late replies after timeouts and cancels release their objects and close their generators; a detached method keeps its object", async () => {
    const result = await runNode(script("dropped-replies.mjs"), [], { deadlineMs: 120_000 });
    expect(result.stderr).toBe("");
    const report = JSON.parse(result.stdout.trim().split("\n").pop()!) as Record<string, unknown>;
    expect(report["startTimedOut"]).toBe("TimeoutError");
    expect(["AbortError", "TimeoutError", "delivered"]).toEqual(expect.arrayContaining(report["outcomes"] as string[]));
    expect(report["dropped"]).toBeGreaterThan(35); // most of the 70 replies came too late
    // 71 dropped replies carried 130 objects and 61 generators: all released, and the generators closed.
    expect(report["after"]).toBe(report["before"]);
    expect(report["closed"]).toBe(61);
    expect(report["detached"]).toEqual([5, 6]);
  }, 130_000);
});
