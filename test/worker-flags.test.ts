// The worker gets the caller's Node flags, minus those it cannot take (issue 9, item 24).
import { describe, expect, it } from "vitest";
import { run } from "./helpers.js";

const program = `
import { Synchronizer } from "synchronicity-js";
const synchronizer = new Synchronizer();
const api = synchronizer.wrapModule(new URL("./build/fixtures/basic.js", "file://" + process.cwd() + "/"));
console.log(api.add(1, 2), await api.square.aio(3, 1));
`;

describe("flags of the main script (item 24)", () => {
  it("node --input-type=module -e ... works: the entry-point flags are not passed to the worker", async () => {
    const result = await run(process.execPath, ["--input-type=module", "-e", program]);
    expect(result.stderr).toBe("");
    expect(result.stdout.trim()).toBe("3 9");
    expect(result.code).toBe(0);
  });

  it("also with --input-type given as two arguments and with --eval=", async () => {
    const result = await run(process.execPath, ["--input-type", "module", `--eval=${program}`]);
    expect(result.stderr).toBe("");
    expect(result.stdout.trim()).toBe("3 9");
  });
});
