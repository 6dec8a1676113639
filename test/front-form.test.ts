// Which of the caller's two fronts the in-process tests run (vitest.config.ts): the CommonJS one,
// dist/cjs/lib.js, by default; the ES module one, dist/cjs/index.mjs, in the "esm-front" project.
// So a broken alias there cannot pass as a run over the ES module front.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Synchronizer } from "synchronicity-js";
import { expect, it } from "vitest";

const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };

it(`the package's exports come from the ${process.env["SYNCHRONICITY_TEST_FRONT"] === "esm" ? "ES module" : "CommonJS"} front`, async () => {
  const requiredLib = Object.keys(createRequire(import.meta.url).cache).some((file) => /[\\/]dist[\\/]cjs[\\/]lib\.js$/.test(file));
  expect(requiredLib).toBe(process.env["SYNCHRONICITY_TEST_FRONT"] !== "esm");
  // Whichever it is, its exports are the thread's one set (scripts/build.mjs, frontKey).
  const shared = (globalThis as Record<symbol, { Synchronizer?: unknown } | undefined>)[Symbol.for(`synchronicity.front@${version}`)];
  expect(shared?.Synchronizer).toBe(Synchronizer);
  // And it works.
  const synchronizer = new Synchronizer();
  try {
    const api = synchronizer.wrapModule<{ add(a: number, b: number): Promise<number> }>(new URL("../bench/impl/add.mjs", import.meta.url));
    expect(api.add(1, 2)).toBe(3);
  } finally {
    await synchronizer.close();
  }
});
