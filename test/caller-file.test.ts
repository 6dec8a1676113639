// Relative paths resolve from the calling file, wherever it is (issue 17, item 6): directories
// whose names contain "(", ")" or ":" used to be misread from the stack text, so that a relative
// path resolved against another directory. Also under --frozen-intrinsics, where the stack can
// only be read as text on Node 20, and where wrapModule used to throw (Error.stackTraceLimit).
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot, run, runNode } from "./helpers.js";

const root = join(repoRoot, "build", "caller-file-test");
const oddNames = ["a (b)", "c:d", "e)f(g", "h (i):j", "k (l) (m)"];

beforeAll(() => {
  rmSync(root, { recursive: true, force: true });
  // A decoy in the parent: a misread path would find this one instead.
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, "impl.mjs"), `export const where = () => "the wrong file";\n`);
  for (const name of oddNames) {
    const dir = join(root, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "impl.mjs"), `export const where = () => ${JSON.stringify(name)};\n`);
    writeFileSync(
      join(dir, "main.mjs"),
      `import { Synchronizer } from "synchronicity-js";
const synchronizer = new Synchronizer();
const api = synchronizer.wrapModule("./impl.mjs");
console.log(api.where());
await synchronizer.close();
`,
    );
    writeFileSync(
      join(dir, "main.cjs"),
      `(async () => {
  const { Synchronizer } = await import("synchronicity-js");
  const synchronizer = new Synchronizer();
  const api = synchronizer.wrapModule("./impl.mjs");
  console.log(api.where());
  await synchronizer.close();
})();
`,
    );
  }
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe.each(oddNames)("a caller in the directory %j", (name) => {
  it.each(["main.mjs", "main.cjs"])("%s: wrapModule('./impl.mjs') loads the file next to it", async (file) => {
    const result = await runNode(join(root, name, file), [], { deadlineMs: 20_000 });
    expect(result.stderr).toBe("");
    expect(result.stdout.trim()).toBe(name);
  });

  it("under --frozen-intrinsics too", async () => {
    const result = await run(process.execPath, ["--frozen-intrinsics", "--no-warnings", join(root, name, "main.mjs")], { deadlineMs: 20_000 });
    expect(result.stderr).toBe("");
    expect(result.stdout.trim()).toBe(name);
  });
});
