// Ctrl-C (SIGINT) while a call runs: the task's cleanup runs and prints, then the process ends as
// an interrupted process does, or the user's own listener takes over (issue 5).
import { describe, expect, it } from "vitest";
import type { ChildProcess } from "node:child_process";
import { runNode, script } from "./helpers.js";

/** Run the sigint script in `mode`, sending SIGINT once the worker task has started. */
function interrupted(mode: string) {
  let sent = false;
  return runNode(script("sigint.mjs"), [mode], {
    deadlineMs: 20_000,
    onStdout: (_chunk: string, child: ChildProcess) => {
      if (!sent && /task started/.test(_chunk)) {
        sent = true;
        child.kill("SIGINT");
      }
    },
  });
}

const cleanup = ["task cleanup begins (InterruptedError)", "task cleanup done"];

describe("Ctrl-C during a blocking call", () => {
  it("runs the task's cleanup in order, then exits like an interrupted process (10 times)", async () => {
    for (let i = 0; i < 10; i++) {
      const result = await interrupted("blocking");
      expect(result.stdout.split("\n").filter(Boolean)).toEqual(["caller calls", "task started", ...cleanup]);
      expect(result.stderr).toBe("");
      expect(result.code === 130 || result.signal === "SIGINT").toBe(true);
    }
  }, 120_000);

  it("honours the user's SIGINT listener after the call unwinds with an InterruptedError", async () => {
    const result = await interrupted("blocking-handler");
    expect(result.stdout.split("\n").filter(Boolean)).toEqual(["caller calls", "task started", ...cleanup, "caller caught InterruptedError", "user handler ran"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(7);
  });
});

describe("Ctrl-C during an .aio call", () => {
  it("the user's listener exits, and the task's cleanup still runs before the process ends", async () => {
    const result = await interrupted("aio-handler");
    expect(result.stdout.split("\n").filter(Boolean)).toEqual(["caller calls", "task started", "user handler ran", ...cleanup]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(3);
  });
});
