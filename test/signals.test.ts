// Ctrl-C (SIGINT) while a call runs: the task's cleanup runs and prints, then the process ends as
// an interrupted process does, or the user's own listener takes over (issue 5). Both ways of
// receiving the signal are tested: Node's built-in binding (Node 20 and 22) and the optional
// native helper (any Node version); without either, Ctrl-C behaves as in plain Node.
import { execFileSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { repoRoot, runNode, script } from "./helpers.js";

const helperPath = join(repoRoot, "packages", "signals", "index.cjs");
const helperBinary = join(repoRoot, "packages", "signals", "build", "Release", "signals.node");
const builtIn = Number(process.versions.node.split(".")[0]) < 24 ? "signal_wrap" : "none";

beforeAll(() => {
  if (!existsSync(helperBinary)) execFileSync("npm", ["run", "build:native", "--silent"], { cwd: repoRoot, stdio: "ignore" });
}, 120_000);

/** Run the sigint script in `mode`, sending SIGINT once the worker task has started (and `delayMs` more). */
function interrupted(mode: string, env: NodeJS.ProcessEnv = {}, delayMs = 0) {
  let sent = false;
  return runNode(script("sigint.mjs"), [mode], {
    deadlineMs: 20_000,
    env,
    onStdout: (chunk: string, child: ChildProcess) => {
      if (!sent && /task started/.test(chunk)) {
        sent = true;
        if (delayMs === 0) child.kill("SIGINT");
        else setTimeout(() => child.kill("SIGINT"), delayMs);
      }
    },
  });
}

/**
 * Run sigint-twice.mjs: SIGINT once the task has started, and again once its (10 s) cleanup has
 * begun. Reports how long the process lived after the second signal.
 */
async function interruptedTwice(env: NodeJS.ProcessEnv) {
  let sent = 0;
  let secondAt = 0;
  let output = "";
  const result = await runNode(script("sigint-twice.mjs"), [], {
    deadlineMs: 60_000,
    env,
    onStdout: (chunk: string, child: ChildProcess) => {
      output += chunk;
      if (sent === 0 && /task started/.test(output)) {
        sent = 1;
        child.kill("SIGINT");
      } else if (sent === 1 && /cleanup begins/.test(output)) {
        sent = 2;
        secondAt = performance.now();
        child.kill("SIGINT");
      }
    },
  });
  return { ...result, afterSecondMs: performance.now() - secondAt };
}

const lines = (text: string) => text.split("\n").filter(Boolean);
const cleanup = ["task cleanup begins (InterruptedError)", "task cleanup done"];

const mechanisms: Array<[string, NodeJS.ProcessEnv]> = [
  [builtIn, {}],
  ["native-helper", { SYNCHRONICITY_SIGNALS_HELPER: helperPath }],
];

describe.each(mechanisms)("Ctrl-C, delivered by %s", (mechanism, env) => {
  if (mechanism === "none") {
    it("without a mechanism, ends the process at once as plain Node does", async () => {
      const result = await interrupted("blocking", env);
      expect(lines(result.stdout)).toEqual(["signals: none", "caller calls", "task started"]);
      expect(result.signal).toBe("SIGINT");
    });
    return;
  }

  it("during a blocking call: the task's cleanup runs in order, then the process exits with 130 (10 times)", async () => {
    for (let i = 0; i < 10; i++) {
      const result = await interrupted("blocking", env);
      expect(lines(result.stdout)).toEqual([`signals: ${mechanism}`, "caller calls", "task started", ...cleanup]);
      expect(result.stderr).toBe("");
      expect(result.code === 130 || result.signal === "SIGINT").toBe(true);
    }
  }, 120_000);

  // The supervisor that watches Ctrl-C starts once a blocking call has heard nothing for 50 ms
  // (caller/host/worker-host.ts), then boots; the signal comes well after that.
  it("during a first call that goes on, with nothing started before: the supervisor starts by itself, the cleanup runs, then 130", async () => {
    const result = await interrupted("blocking-first", env, 1_500);
    expect(lines(result.stdout)).toEqual(["caller calls", "task started", ...cleanup]);
    expect(result.stderr).toBe("");
    expect(result.code === 130 || result.signal === "SIGINT").toBe(true);
  });

  it("during a blocking call, with the user's listener: the call throws InterruptedError, then the listener runs", async () => {
    const result = await interrupted("blocking-handler", env);
    expect(lines(result.stdout)).toEqual([`signals: ${mechanism}`, "caller calls", "task started", ...cleanup, "caller caught InterruptedError (ERR_SYNCHRONICITY_INTERRUPTED)", "user handler ran"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(7);
  });

  // README: "A second Ctrl-C cuts the cleanup short" (issue 17, item 4).
  it("a second Ctrl-C cuts a slow cleanup short", async () => {
    const result = await interruptedTwice(env);
    expect(lines(result.stdout)).toEqual([`signals: ${mechanism}`, "caller calls", "task started", "task cleanup begins (InterruptedError)"]);
    expect(result.code === 130 || result.signal === "SIGINT").toBe(true);
    expect(result.afterSecondMs).toBeLessThan(5_000);
  }, 90_000);

  it("during an .aio call, the user's listener exits: the task's cleanup still runs first", async () => {
    const result = await interrupted("aio-handler", env);
    expect(lines(result.stdout)).toEqual([`signals: ${mechanism}`, "caller calls", "task started", "user handler ran", ...cleanup]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(3);
  });
});
