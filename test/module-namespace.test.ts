// The wrapped module behaves like a module namespace object (issue 9, items 15, 16, 19, 21, 25):
// unknown exports read as undefined, nothing comes from Object.prototype, one export that cannot be
// copied does not break the others, methods of exported objects keep `this`, classes keep identity.
import { inspect } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { DataCloneError, ModuleLoadError, Synchronizer } from "synchronicity-js";
import { fixture } from "./helpers.js";

type Namespace = typeof import("./fixtures/namespace.js");
type Basic = typeof import("./fixtures/basic.js");
const synchronizer = new Synchronizer();
afterAll(() => synchronizer.close());
const api = synchronizer.wrapModule<Namespace>(fixture("namespace"));

describe("an export that cannot be copied (item 15)", () => {
  it("breaks only itself: reading it throws a DataCloneError naming it, every other export works", async () => {
    const s = new Synchronizer();
    try {
      const ns = s.wrapModule<Namespace>(fixture("namespace"));
      expect(ns.answer).toBe(42);
      expect(ns.ping()).toBe("pong");
      expect(() => ns.TOKEN).toThrow(DataCloneError);
      expect(() => ns.TOKEN).toThrow(/export "TOKEN".*a Symbol/);
      expect(() => ns.REGISTRY).toThrow(/export "REGISTRY".*\.get\("token"\).*a Symbol/);
      expect(Object.keys(ns)).toContain("TOKEN");
      expect("TOKEN" in ns).toBe(true);
      expect(await ns.ping.aio()).toBe("pong");
    } finally {
      await s.close();
    }
  });

  it("also for async-only code (importModule)", async () => {
    const s = new Synchronizer();
    try {
      const ns = await s.importModule<Namespace>(fixture("namespace"));
      expect(await ns.ping.aio()).toBe("pong");
      expect(() => ns.TOKEN).toThrow(DataCloneError);
    } finally {
      await s.close();
    }
  });
});

describe("methods of exported plain objects (item 16)", () => {
  it("keep `this`: the method reads the object's fields, like the getter does", async () => {
    expect(api.context.doubled).toBe(14);
    expect(api.context.method()).toBe(7);
    expect(await api.context.later.aio()).toBe(14);
    expect(api.context.later()).toBe(14);
  });

  it("also for plain objects returned by a call: the method works on the worker's object", () => {
    const counter = api.makeCounter(10);
    expect(counter.increment()).toBe(11);
    expect(counter.increment()).toBe(12);
  });
});

describe("classes returned by calls (item 19)", () => {
  it("an exported class returned by a call is the proxy class itself", () => {
    const cls = api.getClass();
    expect(cls).toBe(api.Widget);
    const widget = new cls(3);
    expect(widget).toBeInstanceOf(api.Widget);
    expect(widget.area()).toBe(9);
  });

  it("a class sent back to the worker arrives as the worker's class, not as a callback", async () => {
    expect(api.isWidgetClass(api.Widget)).toBe(true);
    expect(await api.isWidgetClass.aio(api.getClass())).toBe(true);
    const hidden = api.hiddenClass();
    expect(hidden).toBe(api.hiddenClass());
    expect(api.makeHidden(hidden)).toBe("hidden");
  });
});

describe("a namespace object (items 21, 25)", () => {
  it("an unknown export reads as undefined, so feature detection works", () => {
    const loose = api as unknown as Record<string, unknown>;
    expect(typeof loose.lokup).toBe("undefined");
    expect(loose.lokup).toBeUndefined();
    expect((loose as { lokup?: () => unknown }).lokup?.()).toBeUndefined();
    expect("lokup" in api).toBe(false);
  });

  it("answers nothing for Object.prototype's members", () => {
    const loose = api as unknown as Record<string, unknown>;
    expect("toString" in api).toBe(false);
    expect("hasOwnProperty" in api).toBe(false);
    expect(loose.toString).toBeUndefined();
    expect(loose.valueOf).toBeUndefined();
    expect(Object.getOwnPropertyDescriptor(api, "toString")).toBeUndefined();
    expect(Object.prototype.toString.call(api)).toBe("[object Module]");
  });

  it("prints its exports", () => {
    const printed = inspect(api);
    expect(printed).toMatch(/^\[Module: .*namespace\.js\] \{/);
    for (const name of ["answer: 42", "ping: [Function: ping]", "Widget: [class Widget", "TOKEN: <cannot be copied>"]) {
      expect(printed).toContain(name);
    }
  });

  it("prints a module that failed to load without throwing", () => {
    const s = new Synchronizer();
    const broken = s.wrapModule(new URL("./no-such-module.js", fixture("basic")));
    expect(inspect(broken)).toMatch(/\[Module: .*no-such-module\.js\] <could not be loaded: /);
    void s.close();
  });

  it("takes https: and blob: specifiers as URLs, not as package names", async () => {
    const s = new Synchronizer();
    try {
      for (const url of ["https://example.com/mod.js", "blob:nodedata:1234"]) {
        const remote = s.wrapModule<Basic>(url);
        await expect(s.importModule(url)).rejects.toThrow(ModuleLoadError);
        expect(() => remote.add(1, 2)).toThrow(/ERR_UNSUPPORTED_ESM_URL_SCHEME|Only URLs with a scheme in/);
      }
    } finally {
      await s.close();
    }
  });
});
