// Values that try to crash the worker or pose as references, and values that are expensive to walk
// (issue 9, items 3, 5, 12).
import { afterAll, describe, expect, it } from "vitest";
import { DataCloneError, Synchronizer } from "synchronicity-js";
import { fixture, timed } from "./helpers.js";

const synchronizer = new Synchronizer({ timeout: 20_000 });
const api = synchronizer.wrapModule<typeof import("./fixtures/hardening.js")>(fixture("hardening"));
const MARK = "__synchronicity__";

afterAll(() => synchronizer.close());

function caught(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a throw");
}

describe("one bad value fails one call, and the worker lives (item 3)", () => {
  it.each([
    ["returning a Proxy whose getPrototypeOf trap throws", () => api.throwingProxy(), /return value of throwingProxy\(\).*a Proxy/],
    ["returning a revoked Proxy", () => api.revokedProxy(), /return value of revokedProxy\(\).*a Proxy/],
    ["throwing a revoked Proxy", () => api.throwsRevokedProxy(), /thrown value.*a Proxy/],
    ["throwing a Proxy whose trap throws", () => api.throwsThrowingProxy(), /thrown value.*a Proxy/],
    ["returning one nested in data", () => api.nestedThrowingProxy(), /nestedThrowingProxy\(\)/],
  ])("%s gives a DataCloneError for that call only", async (_, call, message) => {
    const object = new api.Widget(7);
    const bystander = api.echo.aio("bystander");
    const error = caught(call);
    expect(error).toBeInstanceOf(DataCloneError);
    expect(error.message).toMatch(message);
    expect(await bystander).toBe("bystander");
    expect(object.name()).toBe("widget 7");
    expect(api.ping()).toBe("pong");
  });

  it("the same over .aio", async () => {
    await expect(api.revokedProxy.aio()).rejects.toBeInstanceOf(DataCloneError);
    await expect(api.throwsRevokedProxy.aio()).rejects.toBeInstanceOf(DataCloneError);
    expect(await api.ping.aio()).toBe("pong");
  });
});

describe("data never poses as a reference (item 5)", () => {
  class Record {
    constructor(fields: object) {
      Object.assign(this, fields);
    }
  }
  const forged = (kind: string) => ({ [MARK]: kind, id: 1, cls: 0 });

  it("a class instance carrying the reserved key arrives in the worker as data", () => {
    const worker = api.widget(0); // makes sure handle 1 exists in the worker
    expect(worker.name()).toBe("widget 1");
    for (const kind of ["backref", "handle", "callback", "escape", "error"]) {
      const received = api.inspect(new Record(forged(kind)));
      expect(received.widget, kind).toBe(false);
      expect(received.mark, kind).toBe(kind);
      expect(received.keys.sort(), kind).toEqual([MARK, "cls", "id"].sort());
    }
  });

  it("also nested inside a class instance, a Map or an array property", () => {
    const nested = new Record({ inner: new Record(forged("backref")) });
    expect(api.echo(nested)).toEqual({ inner: forged("backref") });
    expect(api.echo(new Map([["k", new Record(forged("backref"))]]))).toEqual(new Map([["k", forged("backref")]]));
  });

  it("a copy() from the worker carrying the reserved key arrives as data, and skews no handle count", async () => {
    const before = (await synchronizer.diagnostics()).caller.handles;
    const json = JSON.stringify(forged("handle"));
    expect(api.untrustedRecord(json)).toEqual(forged("handle"));
    expect(api.untrustedNested(json)).toEqual({ rows: [forged("handle")] });
    // No more than before: proxies of earlier tests may be collected meanwhile (their handles released).
    expect((await synchronizer.diagnostics()).caller.handles).toBeLessThanOrEqual(before);
  });

  it("as an abort reason, it reaches the task as data and the worker lives", async () => {
    const controller = new AbortController();
    const pending = api.recordAbortReason.with({ signal: controller.signal }).aio(5_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    controller.abort(new Record(forged("backref")));
    await expect(pending).rejects.toBeInstanceOf(Record);
    for (let i = 0; i < 50 && api.takeAbortReason() === "none"; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(api.takeAbortReason()).toEqual({ keys: [MARK, "id", "cls"], widget: false });
    expect(api.ping()).toBe("pong");
  });
});

describe("sparse arrays cost what they hold (item 12)", () => {
  it("length 2 ** 32 - 1 round-trips quickly, both ways, holes kept", async () => {
    const length = 2 ** 32 - 1;
    const sent: unknown[] = [];
    sent.length = length;
    sent[0] = "first";
    sent[length - 1] = "last";
    const { value, ms } = await timed(() => api.sparseInfo(sent));
    expect(value).toEqual({ length, keys: ["0", String(length - 1)] });
    const back = await timed(() => api.sparse(length));
    expect(back.value.length).toBe(length);
    expect(Object.keys(back.value)).toEqual(["0", String(length - 1)]);
    // Index by index this would take minutes; generous for a loaded machine.
    expect(ms + back.ms).toBeLessThan(5_000);
  });

  it("length 1e8 with a callback in it (the path that translates) stays fast", async () => {
    const sent: unknown[] = [];
    sent.length = 1e8;
    sent[5] = () => "called";
    const { ms } = await timed(() => api.echo.aio(1).then(() => api.sparseInfo(sent)));
    expect(ms).toBeLessThan(5_000);
  });
});
