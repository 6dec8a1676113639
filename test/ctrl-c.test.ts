// Ctrl-C and exit, second round (issue 17, items 1-4), in subprocesses with deadlines, once per
// way of receiving the signal: Node's built-in binding (Node 20 and 22) and the native helper
// (every version; the only one on Node 24). `npm test` runs this file on Node 20, and
// `npm run test:runtimes` on Node 22 and 24.
import { execFileSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { repoRoot, runNode, script } from "./helpers.js";

const helperPath = join(repoRoot, "packages", "signals", "index.cjs");
const helperBinary = join(repoRoot, "packages", "signals", "build", "Release", "signals.node");
const builtIn = Number(process.versions.node.split(".")[0]) < 24 ? "signal_wrap" : undefined;

beforeAll(() => {
  if (!existsSync(helperBinary)) execFileSync("npm", ["run", "build:native", "--silent"], { cwd: repoRoot, stdio: "ignore" });
}, 120_000);

interface Interrupted {
  lines: string[];
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  /** From the first SIGINT (or the line matching `at`) to the end of the process. */
  afterSignalMs: number;
}

/**
 * Run ctrl-c.mjs in `mode`; send SIGINT when a line ending in "started" or "running" appears (or
 * one matching `at`), and again `againAfterMs` later if given.
 */
async function interrupted(mode: string, env: NodeJS.ProcessEnv, options: { shutdownTimeout?: number; againAfterMs?: number; signal?: boolean; at?: RegExp } = {}): Promise<Interrupted> {
  let output = "";
  let sentAt: number | undefined;
  const result = await runNode(script("ctrl-c.mjs"), [mode, String(options.shutdownTimeout ?? 3000)], {
    deadlineMs: 30_000,
    env,
    onStdout: (chunk: string, child: ChildProcess) => {
      output += chunk;
      if (sentAt !== undefined || !(options.at ?? /(started|running)$/m).test(output)) return;
      sentAt = performance.now();
      if (options.signal === false) return;
      child.kill("SIGINT");
      if (options.againAfterMs !== undefined) setTimeout(() => child.kill("SIGINT"), options.againAfterMs);
    },
  });
  return {
    lines: result.stdout.split("\n").filter(Boolean),
    code: result.code,
    signal: result.signal,
    stderr: result.stderr,
    afterSignalMs: sentAt === undefined ? Number.NaN : performance.now() - sentAt,
  };
}

const mechanisms: Array<[string, NodeJS.ProcessEnv]> = [
  ...(builtIn === undefined ? [] : [[builtIn, {}] as [string, NodeJS.ProcessEnv]]),
  ["native-helper", { SYNCHRONICITY_SIGNALS_HELPER: helperPath }],
];

/** Both tasks' cleanup ran (they run concurrently: only the inner task's own lines are ordered). */
function expectBothCleanups(lines: string[]): void {
  expect(lines.slice(0, 2)).toEqual(["outer task started", "inner task started"]);
  expect([...lines.slice(2)].sort()).toEqual(["inner task cleanup begins (InterruptedError)", "inner task cleanup done", "outer task cleanup (InterruptedError)"]);
  expect(lines.indexOf("inner task cleanup begins (InterruptedError)")).toBeLessThan(lines.indexOf("inner task cleanup done"));
}

const endedByCtrlC = (result: Interrupted) => result.code === 130 || result.signal === "SIGINT";

describe.each(mechanisms)(`Ctrl-C and exit on Node ${process.versions.node}, delivered by %s`, (_mechanism, env) => {
  it("item 1: a callback that never returns: a second Ctrl-C ends the process as plain Node does", async () => {
    // The signal goes once the callback runs: "outer task started" comes first, and a Ctrl-C
    // before the callback is item 2's case, not this one.
    const result = await interrupted("runaway-callback", env, { againAfterMs: 300, at: /callback running$/m });
    expect(result.lines).toEqual(["outer task started", "callback running"]);
    expect(result.signal).toBe("SIGINT");
    expect(result.afterSignalMs).toBeLessThan(5_000);
  });

  it("item 2: Ctrl-C in a re-entrant blocking call: both tasks clean up, then exit 130, well within shutdownTimeout", async () => {
    const result = await interrupted("reentrant", env, { shutdownTimeout: 6_000, at: /inner task started$/m });
    expectBothCleanups(result.lines);
    expect(result.stderr).toBe("");
    expect(endedByCtrlC(result)).toBe(true);
    // Before the fix: twice shutdownTimeout (the outer task waited for a callback reply that could not come).
    expect(result.afterSignalMs).toBeLessThan(4_000);
  });

  it("item 2: the same with the inner call on a second synchronizer", async () => {
    const result = await interrupted("reentrant-nested", env, { shutdownTimeout: 6_000, at: /inner task started$/m });
    expectBothCleanups(result.lines);
    expect(result.stderr).toBe("");
    expect(endedByCtrlC(result)).toBe(true);
    expect(result.afterSignalMs).toBeLessThan(4_000);
  });

  it("item 3: process.exit() inside a callback: the task cleans up and the process exits, well within shutdownTimeout", async () => {
    const result = await interrupted("exit-in-callback", env, { shutdownTimeout: 6_000, signal: false, at: /callback exits$/m });
    expect(result.lines).toEqual(["outer task started", "callback exits", "outer task cleanup (InterruptedError)"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(5);
    // Before the fix: the full shutdownTimeout (the task waited for the callback's reply).
    expect(result.afterSignalMs).toBeLessThan(4_000);
  });

  it("item 4: a task that ignores its signal: the process ends after one shutdownTimeout, not two", async () => {
    const result = await interrupted("stubborn", env, { shutdownTimeout: 4_000 });
    expect(result.lines).toEqual(["task started"]);
    expect(endedByCtrlC(result)).toBe(true);
    expect(result.afterSignalMs).toBeGreaterThan(3_500);
    expect(result.afterSignalMs).toBeLessThan(7_000);
  });

  it.each(["stubborn", "stubborn-generator", "stubborn-aio-handler"])("item 4, %s: a second Ctrl-C cuts the cleanup short", async (mode) => {
    const result = await interrupted(mode, env, { shutdownTimeout: 8_000, againAfterMs: 500 });
    expect(result.lines).not.toContain("after the call (must not appear)");
    expect(result.lines.some((line) => line.includes("must not appear"))).toBe(false);
    if (mode === "stubborn-aio-handler") expect(result.code).toBe(3);
    else expect(endedByCtrlC(result)).toBe(true);
    expect(result.afterSignalMs).toBeLessThan(4_000);
  });

  it.each(["stubborn-generator", "stubborn-aio-handler"])("item 4, %s: one Ctrl-C waits one shutdownTimeout", async (mode) => {
    const result = await interrupted(mode, env, { shutdownTimeout: 4_000 });
    if (mode === "stubborn-aio-handler") expect(result.code).toBe(3);
    else expect(endedByCtrlC(result)).toBe(true);
    expect(result.afterSignalMs).toBeGreaterThan(3_500);
    expect(result.afterSignalMs).toBeLessThan(7_000);
  });
});
