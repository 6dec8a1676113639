// The real-world examples (examples/fetch, prettier, eslint-rule, resolve-hook), run as a newcomer
// runs them: each demo under tsx in a subprocess, with a deadline (generous: it only guards
// against hangs on a loaded machine), output compared line by line.
// The ESLint rule uses PGlite and lives in examples.test.ts with the other PGlite example.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as nodeModule from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot, run } from "./helpers.js";

const tsx = join(repoRoot, "node_modules", ".bin", "tsx");
const example = (...path: string[]) => join(repoRoot, "examples", ...path);
// Inside the repository, so that scripts written there resolve its packages (prettier).
mkdirSync(join(repoRoot, "build"), { recursive: true });
const scratch = mkdtempSync(join(repoRoot, "build", "real-examples-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function runDemo(file: string, args: string[] = []) {
  const result = await run(tsx, [file, ...args], { deadlineMs: 100_000 });
  expect(result.stderr).toBe("");
  expect(result.signal).toBeNull();
  expect(result.code).toBe(0);
  return result.stdout.trim().split("\n");
}

describe("examples/fetch: a synchronous fetch", () => {
  it("GET, POST and JSON against a local server in a child process; HTTP errors arrive as errors", async () => {
    expect(await runDemo(example("fetch", "demo.ts"))).toEqual([
      "200 yes hello from a local server",
      "POST ping",
      "{ name: 'demo', retries: 3 }",
      "error: GET <server>/missing: 404 Not Found",
    ]);
  }, 120_000);
});

describe("examples/prettier: a synchronous Prettier format", () => {
  it("runs the demo", async () => {
    expect(await runDemo(example("prettier", "demo.ts"))).toEqual([
      "const answer = { a: 1, b: [1, 2, 3] };",
      "formatted is stable: true",
      "SyntaxError at line 1, column 12",
    ]);
  }, 120_000);

  it("gives output identical to Prettier's own, and its syntax errors with the parser's location", async () => {
    const file = join(scratch, "prettier-compare.mts");
    writeFileSync(
      file,
      `
import * as prettier from "prettier";
import { format } from ${JSON.stringify(pathToFileURL(example("prettier", "prettier-sync.ts")).href)};
const cases: [string, prettier.Options][] = [
  ["function f(a,b){return a+b}", { parser: "babel" }],
  ["type T={a:string;b?:number}\\nconst x:T={a:'1'}", { parser: "typescript", semi: false, singleQuote: true }],
  ['{"b":1,"a":[1,2,{"c":null}]}', { parser: "json" }],
  ["a{color:red;background:blue}", { parser: "css" }],
  ["# Title\\n\\n* one\\n* two", { parser: "markdown", proseWrap: "always" }],
  ["const s = \`\${'x'.repeat(120)}\`;" , { parser: "babel", printWidth: 40 }],
];
const report: unknown[] = [];
for (const [source, options] of cases) report.push(format(source, options) === (await prettier.format(source, options)));
const errors: unknown[] = [];
for (const [source, parser] of [["const x = {", "babel"], ["let y: = 1", "typescript"], ['{"a":}', "json"]]) {
  let mine: any, theirs: any;
  try { format(source, { parser }); } catch (error) { mine = error; }
  try { await prettier.format(source, { parser }); } catch (error) { theirs = error; }
  errors.push({
    sameClass: mine?.constructor?.name === theirs?.constructor?.name,
    sameMessage: mine?.message === theirs?.message,
    sameLoc: JSON.stringify(mine?.loc) === JSON.stringify(theirs?.loc) && mine?.loc !== undefined,
    hasCodeFrame: typeof mine?.codeFrame === "string" && mine.codeFrame === theirs?.codeFrame,
  });
}
console.log(JSON.stringify({ report, errors }));
`,
    );
    const [line] = await runDemo(file);
    const { report, errors } = JSON.parse(line) as { report: boolean[]; errors: Record<string, boolean>[] };
    expect(report).toEqual([true, true, true, true, true, true]);
    for (const error of errors) expect(error).toEqual({ sameClass: true, sameMessage: true, sameLoc: true, hasCodeFrame: true });
  }, 120_000);
});

// module.registerHooks exists from Node 22.15; on Node 20 this runs in `npm run test:runtimes`.
describe.runIf(typeof (nodeModule as { registerHooks?: unknown }).registerHooks === "function")("examples/resolve-hook: synchronous module hooks with async work", () => {
  it("imports a module through a remote import map, fetched from a blocking resolve hook", async () => {
    expect(await runDemo(example("resolve-hook", "demo.ts"))).toEqual([
      "answer: 42",
      "hello, hooks",
      "error: remote:missing is not in <server>/import-map.json",
    ]);
  }, 120_000);
});
