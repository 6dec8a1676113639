// Disposal runs once per object (issue 9, item 23).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Synchronizer } from "synchronicity-js";
import { fixture, runNode, script } from "./helpers.js";

type Disposal = typeof import("./fixtures/disposal.js");
const scratch = mkdtempSync(join(tmpdir(), "synchronicity-disposal-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const lines = (file: string) => readFileSync(file, "utf8").trim().split("\n");

describe("dispose runs once (item 23)", () => {
  it("an object disposed with using, or twice by hand, is not disposed again by close()", async () => {
    const log = join(scratch, "close.log");
    const s = new Synchronizer();
    const api = s.wrapModule<Disposal>(fixture("disposal"));
    {
      using _a = api.open("a", log);
    }
    const b = api.open("b", log);
    b[Symbol.dispose]();
    await b[Symbol.asyncDispose]();
    const held = api.open("held", log);
    await s.close();
    expect(lines(log)).toEqual(["dispose a", "dispose b", "dispose held"]);
    expect(held).toBeDefined();
  });

  it("nor at process exit", async () => {
    const log = join(scratch, "exit.log");
    const result = await runNode(script("dispose-once.mjs"), [log]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(lines(log).sort()).toEqual(["dispose a", "dispose b", "dispose c", "dispose d"]);
  });
});
