// resource(): the README's transaction, on PGlite, run as a newcomer runs it (issue 9, item 22). A
// failed block must roll back; `use(block)` sees the block's outcome; `using` cannot, and commits.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot, run } from "./helpers.js";

const tsx = join(repoRoot, "node_modules", ".bin", "tsx");
const scratch = mkdtempSync(join(tmpdir(), "synchronicity-resource-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The caller half of the README's sample, exactly as written there. */
function readmeCallerSample(): string {
  const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
  const block = /```ts\n\s*\/\/ impl \(examples\/db\.impl\.ts\)\n([\s\S]*?)```/.exec(readme)?.[1];
  if (block === undefined) throw new Error("the README's resource() sample was not found");
  const caller = block.split(/^\s*\/\/ caller\n/m)[1]!;
  return caller.replace(/^ {2}/gm, "");
}

/** The impl half must be the one examples/db.impl.ts runs. */
function readmeImplSample(): string {
  const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
  const block = /```ts\n\s*\/\/ impl \(examples\/db\.impl\.ts\)\n([\s\S]*?)\n\s*\/\/ caller\n/.exec(readme)![1]!;
  return block.replace(/^ {2}/gm, "").replace(/ *\/\/ the block threw.*$/m, "").split("\n").filter((line) => !line.startsWith("import ")).join("\n");
}

const script = (callerSample: string) => `
import { api } from ${JSON.stringify(pathToFileURL(join(repoRoot, "examples", "db.ts")).href)};

const db = api.DBConnection.open("memory://");
db.execute("CREATE TABLE cities (name text PRIMARY KEY, population int NOT NULL)");
const names = () => db.query("SELECT name FROM cities ORDER BY name").map((row) => row.name);
const report: Record<string, unknown> = {};

// The README's sample, as written:
${callerSample}
report.afterSample = names();

// A block that fails: rolled back, and its error reaches the caller.
try {
  api.transaction(db).use((tx) => {
    tx.execute("INSERT INTO cities VALUES ('Quito', 2800000)");
    throw new RangeError("the block failed");
  });
} catch (error) {
  report.blockingError = [(error as Error).name, (error as Error).message];
}
try {
  await (await api.transaction.aio(db)).use.aio(async (tx) => {
    await tx.execute.aio("INSERT INTO cities VALUES ('Lagos', 15388000)");
    throw new Error("the async block failed");
  });
} catch (error) {
  report.asyncError = (error as Error).message;
}
// A statement that fails inside the block (a duplicate key): rolled back too, with Postgres's error.
try {
  api.transaction(db).use((tx) => {
    tx.execute("INSERT INTO cities VALUES ('Osaka', 19060000)");
    tx.execute("INSERT INTO cities VALUES ('Oslo', 1)");
  });
} catch (error) {
  report.duplicate = (error as { code?: string }).code;
}
report.afterFailures = names();
// No transaction left open: outside one, every statement gets its own transaction id.
const xid = () => db.query("SELECT txid_current()::text AS id")[0].id;
report.transactionsEnded = xid() !== xid();
report.used = api.transaction(db).use((tx) => tx.query("SELECT count(*)::int AS n FROM cities")[0].n);

// What using cannot do: it cannot see the error, so the tear-down commits.
try {
  using tx = api.transaction(db);
  tx.value.execute("INSERT INTO cities VALUES ('Bergen', 285000)");
  throw new Error("failed inside using");
} catch {
  // the insert above was committed all the same
}
report.afterUsing = names();
console.log(JSON.stringify(report));
`;

describe("resource() and the README's transaction (item 22)", () => {
  it("the README's impl sample is the one examples/db.impl.ts runs", () => {
    const impl = readFileSync(join(repoRoot, "examples", "db.impl.ts"), "utf8");
    expect(impl.replace(/\s+/g, " ")).toContain(readmeImplSample().replace(/\s+/g, " ").trim());
  });

  it("use(block) commits when the block returns and rolls back when it throws; using cannot tell, and commits", async () => {
    const file = join(scratch, "transaction.mts");
    writeFileSync(file, script(readmeCallerSample()));
    const result = await run(tsx, [file], { deadlineMs: 240_000 }); // starting Postgres can take a minute on a busy machine
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      afterSample: ["Lima", "Oslo"],
      blockingError: ["RangeError", "the block failed"],
      asyncError: "the async block failed",
      duplicate: "23505",
      afterFailures: ["Lima", "Oslo"],
      transactionsEnded: true,
      used: 2,
      afterUsing: ["Bergen", "Lima", "Oslo"],
    });
  }, 300_000);
});
