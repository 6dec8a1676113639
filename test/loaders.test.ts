// The worker follows the caller's loaders (issue 17 items 8 and 9, issue 11 item 4): every
// documented form of tsx (also with a CommonJS .ts implementation), preloads given with relative
// paths after process.chdir(), module hooks registered by an --import preload, and Node's own type
// stripping (Node 22 with --experimental-strip-types, Node 24 by default). Each case runs a small
// program in a subprocess. `npm test` runs this file on Node 20, `npm run test:runtimes` on 22 and 24.
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot, run } from "./helpers.js";

const root = join(repoRoot, "build", "loaders-test");
const tsxCli = join(repoRoot, "node_modules", "tsx", "dist", "cli.mjs");
const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);

function write(path: string, content: string | object): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), typeof content === "string" ? content : JSON.stringify(content));
}

const typescriptImpl = `export async function square(x: number): Promise<number> { return x * x; }
export const kind: string = "typescript";
`;

/**
 * A caller that changes directory first (item 9), then reports the export names the worker sees
 * and a call. With `compare`, it also imports the implementation itself and prints "same" if the
 * worker sees the same named exports as this thread (CommonJS interop keys aside: "default", and
 * "module.exports" on Node 24, which the worker's view lacks on Node 22 and 24).
 */
const caller = (impl: string, compare = false) => `import { Synchronizer } from "synchronicity-js";
const synchronizer = new Synchronizer();
process.chdir(${JSON.stringify(join(repoRoot, ".."))});
const url = new URL(${JSON.stringify(impl)}, import.meta.url);
const api = synchronizer.wrapModule(url);
const named = (keys) => keys.filter((key) => key !== "default" && key !== "module.exports").sort().join(",");
${compare ? 'const here = named(Object.keys(await import(url.href)));\nconsole.log(named(Object.keys(api)) === here ? "same" : "differs: worker " + named(Object.keys(api)) + ", main " + here, api.square(7));' : 'console.log(Object.keys(api).sort().join(","), api.square(7));'}
await synchronizer.close();
`;

beforeAll(() => {
  rmSync(root, { recursive: true, force: true });
  // The library, installed as a user would have it.
  mkdirSync(join(root, "node_modules"), { recursive: true });
  symlinkSync(repoRoot, join(root, "node_modules", "synchronicity-js"));
  // ESM: a "type": "module" folder.
  write("esm/package.json", { type: "module" });
  write("esm/impl.ts", typescriptImpl);
  write("esm/main.mjs", caller("./impl.ts"));
  write("esm/main.ts", caller("./impl.ts"));
  // CommonJS: a folder without "type": "module" (item 8: the worker showed only `default`).
  write("cjs/package.json", {});
  write("cjs/impl.ts", typescriptImpl);
  write("cjs/impl.cts", typescriptImpl);
  write("cjs/main.mjs", caller("./impl.ts", true));
  write("cjs/main-cts.mjs", caller("./impl.cts", true));
  // Hooks registered by a relative --import preload: modules ending in ".answer" are generated.
  write("hooks/package.json", { type: "module" });
  write("hooks/register.mjs", `import { register } from "node:module";\nregister("./hooks.mjs", import.meta.url);\n`);
  write(
    "hooks/hooks.mjs",
    `export async function load(url, context, nextLoad) {
  if (!url.endsWith(".answer")) return nextLoad(url, context);
  return { format: "module", shortCircuit: true, source: "export async function square(x) { return x * x; } export const kind = 'generated';" };
}
`,
  );
  write("hooks/thing.answer", "not JavaScript: the hook makes the module");
  write("hooks/main.mjs", caller("./thing.answer"));
  // A relative --require preload that the implementation depends on.
  write("preload/package.json", { type: "module" });
  write("preload/setup.cjs", `globalThis.preloaded = "yes";\n`);
  write("preload/impl.mjs", `export async function square(x) { return globalThis.preloaded === "yes" ? x * x : -1; }\nexport const kind = "plain";\n`);
  write("preload/main.mjs", caller("./impl.mjs"));
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

async function expectOutput(args: readonly string[], cwd: string, expected: string): Promise<void> {
  const result = await run(args[0]!, args.slice(1), { cwd: join(root, cwd), deadlineMs: 55_000 });
  expect(result.stderr.replace(/^\(node:\d+\) ExperimentalWarning: .*\n(\(Use .*\n)?/gm, "")).toBe("");
  expect(result.stdout).toBe(`${expected}\n`);
  expect(result.code).toBe(0);
}

const node = process.execPath;

describe(`tsx on Node ${process.versions.node}`, { timeout: 60_000 }, () => {
  it("the tsx CLI, ESM implementation", () => expectOutput([node, tsxCli, "main.ts"], "esm", "kind,square 49"));
  it("the tsx CLI, CommonJS .ts implementation (all exports, not only default)", () => expectOutput([node, tsxCli, "main.mjs"], "cjs", "same 49"));
  it("the tsx CLI, .cts implementation", () => expectOutput([node, tsxCli, "main-cts.mjs"], "cjs", "same 49"));
  it("node --import tsx main.mjs", () => expectOutput([node, "--import", "tsx", "main.mjs"], "esm", "kind,square 49"));
  it("node --import tsx, CommonJS .ts implementation", () => expectOutput([node, "--import", "tsx", "main.mjs"], "cjs", "same 49"));
  it("node --import tsx/esm main.mjs", () => expectOutput([node, "--import", "tsx/esm", "main.mjs"], "esm", "kind,square 49"));
  it("node --import=tsx main.ts", () => expectOutput([node, "--import=tsx", "main.ts"], "esm", "kind,square 49"));
});

describe(`preloads and hooks on Node ${process.versions.node} (the program changes directory first)`, { timeout: 60_000 }, () => {
  it("--require ./setup.cjs", () => expectOutput([node, "--require", "./setup.cjs", "main.mjs"], "preload", "kind,square 49"));
  it("-r ./setup.cjs", () => expectOutput([node, "-r", "./setup.cjs", "main.mjs"], "preload", "kind,square 49"));
  it("--import ./register.mjs, which registers module hooks with module.register", () => expectOutput([node, "--import", "./register.mjs", "main.mjs"], "hooks", "kind,square 49"));
  it("NODE_OPTIONS='--require ./setup.cjs'", async () => {
    const result = await run(node, ["main.mjs"], { cwd: join(root, "preload"), env: { NODE_OPTIONS: "--require ./setup.cjs" }, deadlineMs: 55_000 });
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe("kind,square 49\n");
  });
});

describe(`Node's own type stripping on Node ${process.versions.node}`, { timeout: 60_000 }, () => {
  it.runIf(major === 22 && minor >= 6)("node --experimental-strip-types main.ts (Node 22)", () =>
    expectOutput([node, "--experimental-strip-types", "main.ts"], "esm", "kind,square 49"),
  );
  it.runIf(major >= 24)("node main.ts (Node 24: types stripped by default)", () => expectOutput([node, "main.ts"], "esm", "kind,square 49"));
  it.runIf(major >= 24)("node main.mjs with a .ts implementation", () => expectOutput([node, "main.mjs"], "esm", "kind,square 49"));
});
