// Blocking calls made inside a worker (issue 9 item 14): refused only where they would wait for the
// worker's own event loop, and a refused call is never sent, so it never runs.
import { afterAll, describe, expect, it } from "vitest";
import { Synchronizer } from "synchronicity-js";
import { fixture } from "./helpers.js";

const synchronizer = new Synchronizer({ timeout: 20_000 });
const api = synchronizer.wrapModule<typeof import("./fixtures/composed.js")>(fixture("composed"));

afterAll(async () => {
  await api.closeInner.aio();
  await synchronizer.close();
});

describe("a blocking call from inside a worker", () => {
  it("into another synchronizer (a library built on synchronicity) works, as from any thread", () => {
    expect(api.squareThroughInner(7)).toBe(49);
    expect(api.futureThroughInner(8)).toBe(64);
  });

  it("into the synchronizer whose worker makes it is refused with a DeadlockError, and does not run", () => {
    const report = api.blockingIntoSelf();
    expect(report.name).toBe("DeadlockError");
    expect(report.bumpsAfter).toBe(report.bumpsBefore);
    expect(api.bumpsSoFar()).toBe(report.bumpsBefore);
  });
});
