// More unit tests of small protocol modules, written against the mutants that survived
// handles.test.ts and markers-functions.test.ts (docs/TESTING.md, "Surviving mutants"): the handle
// table's message journal, and the function-kind tests on names and sources that only look alike.
import { describe, expect, it } from "vitest";
import { HandleTable } from "../../src/protocol/handle-table.js";
import { isClass, isThenable } from "../../src/protocol/functions.js";

describe("HandleTable: the journal of the message being built", () => {
  it("records every send of the message, one entry per send, in order", () => {
    const table = new HandleTable();
    const a = {};
    const b = {};
    table.beginMessage();
    table.send(a);
    table.send(b);
    table.send(a);
    expect(table.journaled()).toEqual([1, 2, 1]);
    table.endMessage(true);
    expect(table.journaled()).toEqual([]);
  });

  it("sends outside a message are not journaled: before the first message, and after one ended", () => {
    const table = new HandleTable();
    expect(table.journaled()).toEqual([]);
    table.send({});
    expect(table.journaled()).toEqual([]);
    table.beginMessage();
    table.send({});
    table.endMessage(true);
    const later = {};
    table.send(later);
    expect(table.journaled()).toEqual([]);
    // ...so a failed message afterwards does not undo them.
    table.beginMessage();
    table.endMessage(false);
    expect(table.get(3)).toBe(later);
    expect(table.size).toBe(3);
  });
});

describe("isClass: sources and names that only look like a class", () => {
  it("a function whose body mentions 'class ' is not a class", () => {
    function make() {
      return "a class of its own";
    }
    expect(isClass(make)).toBe(false);
    const arrow = () => "class {";
    expect(isClass(arrow)).toBe(false);
  });

  it("an old-style constructor must start with a capital: a camel-case function with methods is not a class", () => {
    function makeThing() {}
    makeThing.prototype.method = function () {};
    expect(isClass(makeThing)).toBe(false);
  });
});

describe("isThenable: primitives never are", () => {
  it("even when their prototype has a then method", () => {
    const proto = Number.prototype as unknown as { then?: unknown };
    Object.defineProperty(Number.prototype, "then", { value: () => {}, configurable: true, writable: true });
    try {
      expect(typeof (1 as unknown as { then: unknown }).then).toBe("function");
      expect(isThenable(1)).toBe(false);
    } finally {
      delete proto.then;
    }
  });
});
