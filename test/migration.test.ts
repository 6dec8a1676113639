// docs/migration.md: each "before" program (synckit, make-synchronized, @prettier/sync) and its
// synchronicity-js "after" print the same thing. Real subprocesses, real peers.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot, runNode } from "./helpers.js";

const migration = (name: string) => join(repoRoot, "examples", "migration", `${name}.mjs`);

async function output(name: string): Promise<string[]> {
  const result = await runNode(migration(name), [], { deadlineMs: 60_000 });
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  return result.stdout.trim().split("\n");
}

const SHA256_HELLO = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

describe("docs/migration.md", () => {
  it("synckit and make-synchronized programs print what the synchronicity-js one does", async () => {
    const expected = [SHA256_HELLO, "true sha256 takes a string, got number"];
    expect(await output("synckit-before")).toEqual(expected);
    expect(await output("make-synchronized-before")).toEqual(expected);
    expect(await output("after")).toEqual([...expected, SHA256_HELLO]);
  }, 120_000);

  it("@prettier/sync and synchronicity-js wrapping prettier print the same thing", async () => {
    const expected = ["const x = { a: 1 };", "SyntaxError { line: 1, column: 12 }"];
    expect(await output("prettier-sync-before")).toEqual(expected);
    expect(await output("prettier-sync-after")).toEqual(expected);
  }, 120_000);
});
