// Unit tests of HandleRefs' release on garbage collection (src/protocol/handle-refs.ts), in this
// process: gc is exposed at run time (v8 flag), so the finalizer path runs under the unit tests,
// and Stryker's mutants of it are seen (the subprocess tests in test/scripts do not see them).
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { HandleRefs } from "../../src/protocol/handle-refs.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const turn = () => new Promise((resolve) => setTimeout(resolve, 5));

/** Collect garbage until `done()` holds (finalizers run in a later task), for at most 5 seconds. */
async function collectUntil(done: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!done() && Date.now() < deadline) {
    gc();
    await turn();
  }
}

/** Collect garbage a few times and let finalizers run: for checking that nothing happens. */
async function collectSome(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    gc();
    await turn();
  }
}

function setup() {
  const posted: Array<ReadonlyArray<readonly [number, number]>> = [];
  const refs = new HandleRefs((releases) => posted.push(releases));
  return { refs, posted };
}

/** Adopt `id` `times` times in a frame of its own, so that nothing here keeps the local object. */
function adoptAndDrop(refs: HandleRefs, id: number, times = 1): void {
  for (let i = 0; i < times; i++) refs.adopt(id, () => ({ id }));
}

describe("HandleRefs: a local object that is garbage collected", () => {
  it("releases its id with every receipt counted, in one batch, and is no longer tracked", async () => {
    const { refs, posted } = setup();
    adoptAndDrop(refs, 1, 3);
    adoptAndDrop(refs, 2);
    expect(refs.size).toBe(2);
    await turn();
    await collectUntil(() => refs.size === 0 && posted.length > 0);
    await Promise.resolve();
    expect(refs.size).toBe(0);
    expect(posted.flat().sort((a, b) => a[0] - b[0])).toEqual([
      [1, 3],
      [2, 1],
    ]);
    // Both were collected in the same collection: one message for the two.
    expect(posted).toHaveLength(1);
  });

  it("an object still held is not released", async () => {
    const { refs, posted } = setup();
    const held = refs.adopt(3, () => ({}));
    adoptAndDrop(refs, 4);
    await turn();
    await collectUntil(() => posted.length > 0);
    await collectSome();
    expect(posted).toEqual([[[4, 1]]]);
    expect(refs.size).toBe(1);
    expect(refs.adopt(3, () => ({}))).toBe(held);
  });

  it("an id released explicitly, or forgotten, is not released again when its object is collected", async () => {
    const { refs, posted } = setup();
    adoptAndDrop(refs, 5);
    adoptAndDrop(refs, 6);
    refs.release(5);
    refs.forget(6);
    await Promise.resolve();
    expect(posted).toEqual([[[5, 1]]]);
    await collectSome();
    expect(posted).toEqual([[[5, 1]]]);
  });

  it("an id received again after its object died, before the finalizer ran: the old object's finalizer releases nothing", async () => {
    const { refs, posted } = setup();
    adoptAndDrop(refs, 7);
    await turn();
    // Collected, but its finalizer runs only in a later task: the id arrives again first.
    gc();
    let created = 0;
    const again = refs.adopt(7, () => ({ again: ++created }));
    expect(created).toBe(1);
    await collectSome();
    expect(posted).toEqual([]);
    expect(refs.size).toBe(1);
    expect(refs.adopt(7, () => ({}))).toBe(again);
    // The new object stands for every receipt, the old one's included.
    refs.release(7);
    await Promise.resolve();
    expect(posted).toEqual([[[7, 3]]]);
  });
});
