// The examples, run as a newcomer runs them: under tsx, in a subprocess (vitest cannot make the
// worker import .ts files). examples/db.impl.ts is a real Postgres (PGlite) behind synchronicity.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot, run } from "./helpers.js";

const tsx = join(repoRoot, "node_modules", ".bin", "tsx");
const scratch = mkdtempSync(join(tmpdir(), "synchronicity-examples-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("examples/compress.ts (README: Calling blocking code asynchronously)", () => {
  it("gzips eight texts on a pool of two workers while the event loop stays free", async () => {
    const result = await run(tsx, [join(repoRoot, "examples", "compress.ts")], { deadlineMs: 45_000 });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split("\n")).toEqual([
      "gzip: 8 texts of 1 MiB -> 123948 bytes in all",
      "event loop: free while the workers compressed",
      "gunzip: every text came back",
      "blocking form: works too",
    ]);
  }, 60_000);

  it("is shown in the README as it is", () => {
    const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
    for (const file of ["compress.impl.ts", "compress.ts"]) {
      expect(readme).toContain("```ts\n" + readFileSync(join(repoRoot, "examples", file), "utf8") + "```");
    }
  });
});

describe("examples/demo-db.ts", () => {
  it("runs the DBConnection demo synchronously and exits by itself", async () => {
    const result = await run(tsx, [join(repoRoot, "examples", "demo-db.ts")], { deadlineMs: 45_000 });
    expect(result.stderr).toBe("");
    expect(result.signal).toBeNull();
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split("\n");
    expect(lines).toHaveLength(8);
    expect(lines[0]).toMatch(/^DBConnection: /);
    expect(lines[1]).toMatch(/^connect: memory:\/\/, connected = true \(\d+\.\d\d s to start Postgres\)$/);
    expect(lines.slice(2)).toEqual([
      "execute: created table cities",
      "query: inserted 5 rows",
      "query: over 10 million: Osaka (19060000), Lagos (15388000), Lima (10883000)",
      "cursor: for...of, two rows per fetch: Lagos, Lima, Osaka, Oslo, Quito",
      "query.aio: total population 48840000",
      "using: disposed on leaving demo(), connected = false",
    ]);
  }, 60_000);
});

// The other half of the API: static methods, the async forms, early exits from a cursor,
// Postgres errors (the DatabaseError class the module exports), `await using`, and a database on
// disk. One subprocess prints a JSON report.
const asyncScript = `
import { api } from ${JSON.stringify(pathToFileURL(join(repoRoot, "examples", "db.ts")).href)};

const report: Record<string, unknown> = {};
const db = await api.DBConnection.open.aio("memory://");
report.connected = db.connected;
report.changed = await db.execute.aio(
  "CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t SELECT g FROM generate_series(1, 250) g",
);

let count = 0;
for await (const row of db.cursor.aio("SELECT id FROM t WHERE id > $1 ORDER BY id", [50], 64)) count += row.id as number;
report.asyncCursorSum = count;

const firstFive: unknown[] = [];
for (const row of db.cursor("SELECT id FROM t ORDER BY id", [], 2)) {
  firstFive.push(row.id);
  if (firstFive.length === 5) break; // closes the cursor and ends its transaction in the worker
}
report.firstFive = firstFive;
// Outside a transaction every statement gets its own transaction id; inside one they share it.
const xid = () => db.query("SELECT txid_current()::text AS id")[0].id;
report.transactionEnded = xid() !== xid();

const nested: string[] = [];
for (const a of db.cursor("SELECT id FROM t WHERE id <= 2 ORDER BY id", [], 1))
  for (const b of db.cursor("SELECT id FROM t WHERE id <= 2 ORDER BY id")) nested.push(a.id + "-" + b.id);
report.nested = nested;

try {
  db.query("SELECT * FROM missing");
} catch (error) {
  const e = error as InstanceType<typeof api.DatabaseError>;
  report.error = { isDatabaseError: e instanceof api.DatabaseError, isError: e instanceof Error, message: e.message, code: e.code };
}
try {
  new api.DBConnection("http://example.com/db");
} catch (error) {
  report.badUrl = error instanceof TypeError;
}
report.afterErrors = db.query("SELECT count(*)::int AS n FROM t")[0].n;

{
  await using _db = db;
}
report.disposed = !db.connected;
try {
  db.query("SELECT 1");
} catch (error) {
  report.afterDispose = (error as Error).message;
}

const url = process.argv[2];
{
  using disk = api.DBConnection.open(url);
  disk.execute("CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')");
}
{
  using disk = new api.DBConnection(url);
  disk.connect();
  report.persisted = disk.query("SELECT v FROM kept")[0].v;
}
console.log(JSON.stringify(report));
`;

describe("examples/db.ts", () => {
  it("works with static methods, .aio, cursors, errors, await using and file:// URLs", async () => {
    const file = join(scratch, "db-async.mts");
    writeFileSync(file, asyncScript);
    const dataDir = pathToFileURL(join(scratch, "data")).href;
    const result = await run(tsx, [file, dataDir], { deadlineMs: 45_000 });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      connected: true,
      changed: 250,
      asyncCursorSum: (51 + 250) * 100, // 51..250: 200 rows
      firstFive: [1, 2, 3, 4, 5],
      transactionEnded: true,
      nested: ["1-1", "1-2", "2-1", "2-2"],
      error: { isDatabaseError: true, isError: true, message: 'relation "missing" does not exist', code: "42P01" },
      badUrl: true,
      afterErrors: 250,
      disposed: true,
      afterDispose: "not connected to memory://: call connect() first",
      persisted: "still here",
    });
  }, 60_000);
});

describe("examples/eslint-rule: an ESLint rule whose check is async (SQL against PGlite)", () => {
  it("reports the SQL errors Postgres finds, from ESLint's synchronous visitor", async () => {
    const result = await run(tsx, [join(repoRoot, "examples", "eslint-rule", "demo.ts")], { deadlineMs: 100_000 });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split("\n")).toEqual([
      '2:14 SQL: column "nme" does not exist',
      '3:16 SQL: syntax error at or near "selec"',
    ]);
  }, 120_000);
});
