// The declaration generator, `synchronicity-js types`, run as users run it (the package's bin, in a
// subprocess), and the declarations it writes, compiled and used against a real worker.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import { Synchronizer } from "synchronicity-js";
import type { Api } from "./fixtures/typegen.api.js";
import { fixture, repoRoot, run } from "./helpers.js";

const packageJson = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { bin: Record<string, string> };
const bin = join(repoRoot, packageJson.bin["synchronicity-js"]);
const types = (args: string[], options: Parameters<typeof run>[2] = {}) => run(process.execPath, [bin, "types", ...args], { deadlineMs: 120_000, ...options });
// Each run compiles a program (lib, @types/node): seconds of CPU, much more on a loaded machine.
const slow = 300_000;

// Scratch projects live under build/ so that "synchronicity-js" resolves to this package.
mkdirSync(join(repoRoot, "build"), { recursive: true });
const scratch = mkdtempSync(join(repoRoot, "build", "typegen-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let projects = 0;
function project(files: Record<string, string>): string {
  const directory = join(scratch, `p${projects++}`);
  mkdirSync(directory, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(directory, name), text);
  return directory;
}
const tsconfig = JSON.stringify({ extends: "../../../tsconfig.base.json", include: ["./*.ts"] });

/** Type errors in the given files, compiled with the test project's options and library checking on. */
function compileErrors(rootNames: string[], checked: string[] = rootNames): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(join(repoRoot, "test", "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
  const program = ts.createProgram({ rootNames, options: { ...config.options, skipLibCheck: false, noEmit: true } });
  return checked.flatMap((file) => {
    const source = program.getSourceFile(file);
    if (source === undefined) return [`${file}: not in the program`];
    const diagnostics = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
    return diagnostics.map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
  });
}

describe("synchronicity-js types", () => {
  it("writes exactly the checked-in expected declaration for the fixture module (--check passes)", async () => {
    const result = await types(["--check", "test/fixtures/typegen.ts"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    // The same, with the file compared here: generate into a copy and compare the text.
    const directory = project({ "tsconfig.json": tsconfig });
    for (const name of ["typegen.ts", "sleep.ts"]) copyFileSync(join(repoRoot, "test", "fixtures", name), join(directory, name));
    const written = await types([join(directory, "typegen.ts")]);
    expect(written.code).toBe(0);
    expect(written.stdout).toBe(`wrote ${relative(repoRoot, join(directory, "typegen.api.d.ts"))}\n`);
    expect(readFileSync(join(directory, "typegen.api.d.ts"), "utf8")).toBe(readFileSync(join(repoRoot, "test", "fixtures", "typegen.api.d.ts"), "utf8"));
    const again = await types([join(directory, "typegen.ts")]);
    expect(again.stdout).toBe(""); // unchanged: not rewritten, so that watchers downstream stay quiet
  }, slow);

  it("writes declarations that compile with library checking on (the fixture's and the example's)", () => {
    const generated = [join(repoRoot, "test", "fixtures", "typegen.api.d.ts"), join(repoRoot, "examples", "db.impl.api.d.ts")];
    expect(compileErrors(generated)).toEqual([]);
  }, slow);

  it("--check names a stale or missing declaration and exits 1", async () => {
    const directory = project({ "tsconfig.json": tsconfig, "calc.ts": "export async function twice<T>(x: T): Promise<[T, T]> { return [x, x]; }\n" });
    const impl = join(directory, "calc.ts");
    const output = join(directory, "calc.api.d.ts");
    const missing = await types(["--check", impl]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`${relative(repoRoot, output)} is missing: run synchronicity-js types ${relative(repoRoot, impl)}`);
    expect(existsSync(output)).toBe(false); // --check writes nothing
    expect((await types([impl])).code).toBe(0);
    expect(readFileSync(output, "utf8")).toContain("<T>(x: $Arg<T>): $Remote<[T, T]>;");
    writeFileSync(impl, "export async function twice<T>(x: T): Promise<T[]> { return [x, x]; }\n");
    const stale = await types(["--check", impl]);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain(`${relative(repoRoot, output)} is stale`);
  }, slow);

  it("--out-dir writes there, importing the implementation (and its own imports) from where they are", async () => {
    const directory = project({
      "tsconfig.json": tsconfig,
      "shapes.ts": "export interface Point { x: number; y: number }\n",
      "geometry.ts": 'import type { Point } from "./shapes.js";\nexport async function mirror<P extends Point>(p: P): Promise<P> { return { ...p, x: -p.x }; }\n',
    });
    const outDir = join(directory, "types", "generated");
    const result = await types(["--out-dir", outDir, join(directory, "geometry.ts")]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const output = join(outDir, "geometry.api.d.ts");
    const text = readFileSync(output, "utf8");
    expect(text).toContain('from "../../shapes.js"');
    expect(compileErrors([output])).toEqual([]);
    expect(readdirSync(directory).filter((name) => name.endsWith(".d.ts"))).toEqual([]);
  }, slow);

  it("--watch regenerates when the implementation changes", async () => {
    const directory = project({ "tsconfig.json": tsconfig, "watched.ts": "export async function first(): Promise<number> { return 1; }\n" });
    const impl = join(directory, "watched.ts");
    const output = join(directory, "watched.api.d.ts");
    let stdout = "";
    let changed = false;
    const result = await types(["--watch", impl], {
      onStdout: (chunk, child) => {
        stdout += chunk;
        const rounds = stdout.split("watching").length - 1;
        if (rounds === 1 && !changed) {
          changed = true;
          expect(readFileSync(output, "utf8")).toContain("readonly first");
          writeFileSync(impl, "export async function second<T>(x: T): Promise<T> { return x; }\n");
        } else if (rounds >= 2) {
          child.kill("SIGTERM");
        }
      },
    });
    expect(result.signal).toBe("SIGTERM");
    expect(result.stdout.match(/wrote /g)).toHaveLength(2);
    const text = readFileSync(output, "utf8");
    expect(text).toContain("readonly second: $second;");
    expect(text).not.toContain("readonly first");
  }, slow);

  it("says how to install TypeScript when it is not installed", async () => {
    // The bin's files alone, outside any node_modules tree: `import("typescript")` fails there.
    const alone = mkdtempSync(join(tmpdir(), "synchronicity-typegen-"));
    try {
      const builtDirectory = join(bin, "..");
      for (const name of readdirSync(builtDirectory).filter((name) => name.endsWith(".js"))) copyFileSync(join(builtDirectory, name), join(alone, name));
      // The module system the built files were written for: the nearest package.json's "type".
      let directory = builtDirectory;
      while (!existsSync(join(directory, "package.json"))) directory = join(directory, "..");
      const { type } = JSON.parse(readFileSync(join(directory, "package.json"), "utf8")) as { type?: string };
      writeFileSync(join(alone, "package.json"), JSON.stringify({ type: type ?? "commonjs" }));
      writeFileSync(join(alone, "x.ts"), "export const x = 1;\n");
      const result = await run(process.execPath, [join(alone, "cli.js"), "types", "x.ts"], { cwd: alone, deadlineMs: 30_000 });
      expect(result.code).toBe(1);
      expect(result.stderr).toBe("synchronicity-js types: the TypeScript compiler is needed; install it with `npm install -D typescript`\n");
      expect(existsSync(join(alone, "x.api.d.ts"))).toBe(false);
    } finally {
      rmSync(alone, { recursive: true, force: true });
    }
  }, slow);

  it("refuses bad command lines with the usage (exit 2)", async () => {
    for (const [args, message] of [
      [[], "no implementation files given"],
      [["--frobnicate", "x.ts"], "unknown option --frobnicate"],
      [["--check", "--watch", "x.ts"], "--check and --watch do not go together"],
      [["--out-dir"], "--out-dir needs a value"],
    ] as const) {
      const result = await types([...args]);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr).toContain(`synchronicity-js: ${message}\n\nusage: synchronicity-js types`);
    }
    const noCommand = await run(process.execPath, [bin, "typez"]);
    expect(noCommand.code).toBe(2);
    expect(noCommand.stderr).toContain('unknown command "typez"');
  }, slow);

  it("reports files that do not exist, are not modules, or do not compile (exit 1), and writes nothing", async () => {
    const directory = project({ "tsconfig.json": tsconfig, "broken.ts": 'export async function f(): Promise<number> { return "not a number"; }\n', "notes.txt": "x" });
    const missing = await types([join(directory, "nope.ts")]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("nope.ts: no such file");
    const notModule = await types([join(directory, "notes.txt")]);
    expect(notModule.code).toBe(1);
    expect(notModule.stderr).toContain("notes.txt: not an implementation module");
    const broken = await types([join(directory, "broken.ts")]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain("the implementation does not compile");
    expect(broken.stderr).toContain("TS2322");
    expect(existsSync(join(directory, "broken.api.d.ts"))).toBe(false);
  }, slow);
});

describe("a generated declaration describes what the worker does", () => {
  it("generics, overloads, classes, generators and callbacks through a real worker", async () => {
    await using synchronizer = new Synchronizer();
    const api = synchronizer.wrapModule<Api>(fixture("typegen"));
    const user = api.identity({ id: 1, name: "a" });
    expect(user.name).toBe("a");
    expect(await api.identity.aio<number[]>([1, 2])).toEqual([1, 2]);
    expect(api.parse("42")).toBe(42);
    expect(api.parse(42)).toBe("42");
    expect(await api.parse.future(7)).toBe("7");
    expect([...api.enumerate(["x", "y"])]).toEqual([
      [0, "x"],
      [1, "y"],
    ]);
    expect(api.mapEach(["a", "bb"], (item) => item.length)).toEqual([1, 2]);
    expect(api.count(1, 2, 3)).toBe(3);

    const store = new api.Store("s", [["k", 1]]);
    expect(store.get("k")).toBe(1);
    expect(store.set("k", 2)).toBe(store); // `this`: the same view
    expect(store.lookup("missing", "none")).toBe("none");
    expect(store.read("k", (value) => `value ${value}`)).toBe("value 2");
    expect(store.size).toBe(1);
    expect(store.writes).toBe(1);
    const child = store.child<Date>("c");
    expect(child.name).toBe("s/c");
    const opened = await api.Store.open.aio("o", "k", 5n);
    expect(opened.get("k")).toBe(5n);
    expect(api.Store.kind).toBe("store");
    expect([...store.keys()]).toEqual(["k"]);

    const { main, all } = api.stores();
    expect(main.get("one")).toBe(1);
    expect(all.map((s) => s.name)).toEqual(["a", "b"]);
    expect(api.sizeOf(main)).toBe(1);
    expect(api.GREETING).toBe("hello");
    const error = new api.QueryError("failed", "E1");
    expect(error.code).toBe("E1");
  }, slow);
});
