// Two libraries built on synchronicity compose (issue 17, item 10): library A's implementation
// calls library B's blocking API, which is backed by B's own synchronizer and worker. Only a
// blocking call into the worker that is making it would deadlock; that one is still refused
// (callbacks.test.ts, "deadlock guard").
import { afterAll, describe, expect, it } from "vitest";
import { Synchronizer } from "synchronicity-js";
import { fixture } from "./helpers.js";

type LibraryA = typeof import("./fixtures/library-a-impl.js");

const synchronizer = new Synchronizer({ timeout: 20_000 });
const libraryA = synchronizer.wrapModule<LibraryA>(fixture("library-a-impl"));
afterAll(() => synchronizer.close());

describe("an implementation using another library's blocking API", () => {
  it("works from a blocking call", () => {
    expect(libraryA.quadruple(3)).toBe(12);
  });

  it("works from .aio and .future", async () => {
    expect(await libraryA.quadruple.aio(5)).toBe(20);
    expect(libraryA.quadruple.future(6).result()).toBe(24);
    expect(await libraryA.quadrupleAsync.aio(7)).toBe(28);
  });

  it("works from several of A's tasks at once", async () => {
    expect(await libraryA.many.aio(5)).toEqual([0, 2, 4, 6, 8]);
  });
});
