// What degrades on a runtime is reported, never an error: diagnostics() names the runtime and
// notes what works differently there, and Ctrl-C during a blocking call ends the process (after the
// cleanup where a signal mechanism exists, at once like the plain runtime where none does), never
// a hang. Runs on Node, Deno and Bun (scripts/test-runtimes.sh).
import type { ChildProcess } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { Synchronizer } from "synchronicity-js";
import { fixture, runNode, script } from "./helpers.js";

const versions = process.versions as Record<string, string | undefined>;
const runtime = versions["bun"] ? `bun ${versions["bun"]}` : versions["deno"] ? `deno ${versions["deno"]}` : `node ${process.versions.node}`;

describe("diagnostics() on this runtime", () => {
  const synchronizer = new Synchronizer();
  afterAll(() => synchronizer.close());

  it("the first call works, and diagnostics names the runtime and notes what degrades", async () => {
    expect((await synchronizer.diagnostics()).runtime).toBe(runtime);
    const api = synchronizer.wrapModule<typeof import("./fixtures/basic.js")>(fixture("basic"));
    expect(api.square(3, 1)).toBe(9);
    const { signals, notes } = await synchronizer.diagnostics();
    expect(["signal_wrap", "native-helper", "deno", "none"]).toContain(signals);
    if (signals === "none" && versions["bun"]) {
      expect(notes).toEqual([expect.stringMatching(new RegExp(`^Ctrl-C during a blocking call is not seen until the call returns, as with any blocking wait on ${runtime}`))]);
    } else if (signals === "none") {
      expect(notes).toEqual([expect.stringMatching(new RegExp(`^Ctrl-C during a blocking call ends the process at once without the call's cleanup, as plain \\w+ does: ${runtime} offers no way`))]);
    } else {
      expect(notes).toEqual([]);
    }
  });
});

describe("resourceLimits on this runtime", () => {
  it("diagnostics notes where they are not enforced (Bun); none on Node and Deno, where a death by them is reported (faults.test.ts)", async () => {
    const limited = new Synchronizer({ resourceLimits: { maxOldGenerationSizeMb: 256 } });
    try {
      const api = limited.wrapModule<typeof import("./fixtures/basic.js")>(fixture("basic"));
      expect(api.square(3, 1)).toBe(9);
      const resourceNotes = (await limited.diagnostics()).notes.filter((note) => note.startsWith("resourceLimits"));
      if (versions["bun"]) expect(resourceNotes).toEqual([expect.stringMatching(/^resourceLimits are not enforced on bun /)]);
      else expect(resourceNotes).toEqual([]);
    } finally {
      await limited.close();
    }
  });
});

describe("Ctrl-C during a blocking call on this runtime", () => {
  // Not on Bun: it does not act on a SIGINT while its main thread waits (see the note above), so the
  // call would run to its end; this fixture's task only ends when cancelled.
  it.skipIf(versions["bun"] !== undefined)("ends the process: after the task's cleanup with a signal mechanism, at once without one", async () => {
    let sent = false;
    const result = await runNode(script("sigint.mjs"), ["blocking"], {
      deadlineMs: 20_000,
      onStdout: (chunk: string, child: ChildProcess) => {
        if (!sent && /task started/.test(chunk)) {
          sent = true;
          child.kill("SIGINT");
        }
      },
    });
    const lines = result.stdout.split("\n").filter(Boolean);
    expect(lines.slice(0, 3)).toEqual([lines[0], "caller calls", "task started"]);
    expect(result.stdout).not.toMatch(/must not appear/);
    if (lines[0] === "signals: none") {
      expect(result.signal).toBe("SIGINT");
    } else {
      expect(lines.slice(3)).toEqual(["task cleanup begins (InterruptedError)", "task cleanup done"]);
      // 130, or killed by the signal raised again: both are how an interrupted process ends.
      expect(result.code === 130 || result.signal === "SIGINT").toBe(true);
    }
  });
});
