// The caller compiles the worker's library for its loop threads while they boot, and hands them
// V8's code cache (src/protocol/library-code.ts). Checked in fresh processes, by how each thread
// says it loaded its library: never by timing.
import { describe, expect, it } from "vitest";
import { run, runNode, script } from "./helpers.js";

interface ThreadReport {
  loadedFrom: string;
  loadedBy: string | null;
  loaded: boolean;
  inCall: boolean;
}

interface Report {
  cpus: number;
  runtime: "node" | "bun" | "deno";
  reports: ThreadReport[];
  /** The threads of a pool made after the three Synchronizers (dist/cjs/core.js starts them). */
  poolReports: ThreadReport[];
  poolThreads: number;
}

const parse = (stdout: string) => JSON.parse(stdout) as Report;
// Whichever way a thread loads its library, the implementation's "synchronicity-js/worker" is the
// loop's copy (loaded by the entry, dist/cjs/worker/loop.js), and sees the call it runs in.
const oneCopy = { loadedBy: "loop.js", loaded: true, inCall: true };

describe("the worker's library, compiled by the caller", () => {
  it("threads started once the process has the cache compile with it, a pool's too; the first one may have started before it was made", async () => {
    const result = await runNode(script("library-cache.mjs"), [], { deadlineMs: 30_000 });
    expect(result.stderr).toBe("");
    const { cpus, runtime, reports, poolReports, poolThreads } = parse(result.stdout);
    for (const report of [...reports, ...poolReports]) expect(report).toMatchObject(oneCopy);
    expect(poolThreads).toBe(3);
    const loadedFrom = reports.map((report) => report.loadedFrom);
    const poolLoadedFrom = poolReports.map((report) => report.loadedFrom);
    if (runtime !== "node" || cpus === 1) {
      // No V8 code cache on Bun and Deno; on one CPU the caller's compile would hold up the thread.
      expect(loadedFrom).toEqual(["file", "file", "file"]);
      expect(poolLoadedFrom).toEqual(["file", "file", "file"]);
    } else {
      // The first thread gets it if the caller made it before the thread reached its entry.
      expect(["cache", "file"]).toContain(loadedFrom[0]);
      expect(loadedFrom.slice(1)).toEqual(["cache", "cache"]);
      // The pool's threads, started by the other copy of the code, get the process's cache.
      expect(poolLoadedFrom).toEqual(["cache", "cache", "cache"]);
    }
  });

  it("a thread whose cache V8 refuses (a V8 flag changed since it was made) compiles the source it was given, and runs as usual", async () => {
    const result = await runNode(script("library-cache-refused.mjs"), [], { deadlineMs: 30_000 });
    expect(result.stderr).toBe("");
    const { cpus, runtime, before, after } = JSON.parse(result.stdout) as { cpus: number; runtime: string; before: ThreadReport; after: ThreadReport };
    expect(before).toMatchObject(oneCopy);
    // The report came back: the thread that compiled anew loaded its library and answered.
    expect(after).toMatchObject(oneCopy);
    if (runtime !== "node" || cpus === 1) expect(after.loadedFrom).toBe("file");
    else expect(after.loadedFrom).toBe("rejected");
  });

  it("with source maps on, threads require their library: Node maps the stacks of required files only", async () => {
    const result = await run(process.execPath, ["--enable-source-maps", script("library-cache.mjs")], { deadlineMs: 30_000 });
    expect(result.stderr).toBe("");
    const { reports, poolReports } = parse(result.stdout);
    expect([...reports, ...poolReports]).toEqual([0, 1, 2, 3, 4, 5].map(() => ({ loadedFrom: "file", ...oneCopy })));
  });

  it("on one CPU (taskset), no cache is made: compiling it would take the CPU from the booting thread", async () => {
    const result = await run("taskset", ["-c", "0", process.execPath, script("library-cache.mjs")], { deadlineMs: 30_000 });
    expect(result.stderr).toBe("");
    const { cpus, reports, poolReports } = parse(result.stdout);
    expect(cpus).toBe(1);
    expect([...reports, ...poolReports]).toEqual([0, 1, 2, 3, 4, 5].map(() => ({ loadedFrom: "file", ...oneCopy })));
  });
});
