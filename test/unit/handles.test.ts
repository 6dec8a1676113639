// Unit tests of the handle tables (src/protocol/handle-table.ts, the owner's side, and
// src/protocol/handle-refs.ts, the holder's side): ids, counted release, undo of a message that
// failed to post, one local object per id, batched releases.
import { describe, expect, it } from "vitest";
import { HandleTable } from "../../src/protocol/handle-table.js";
import { HandleRefs } from "../../src/protocol/handle-refs.js";

describe("HandleTable", () => {
  it("gives each object one id, from 1 up, and counts its sends", () => {
    const table = new HandleTable();
    const a = {};
    const b = {};
    expect(table.send(a)).toBe(1);
    expect(table.send(b)).toBe(2);
    expect(table.send(a)).toBe(1);
    expect(table.get(1)).toBe(a);
    expect(table.get(2)).toBe(b);
    expect(table.get(3)).toBeUndefined();
    expect(table.size).toBe(2);
    expect([...table.values()].map((entry) => [entry.value, entry.sent])).toEqual([[a, 2], [b, 1]]);
  });

  it("drops an entry only when the holder released as many as were sent, and then runs onRelease once", () => {
    const table = new HandleTable();
    const released: string[] = [];
    const a = {};
    const id = table.send(a, () => released.push("a"));
    table.send(a);
    table.send(a);
    table.release(id, 2);
    expect(table.get(id)).toBe(a);
    expect(released).toEqual([]);
    table.release(id, 1);
    expect(table.get(id)).toBeUndefined();
    expect(table.size).toBe(0);
    expect(released).toEqual(["a"]);
    table.release(id, 1); // unknown now: ignored
    expect(released).toEqual(["a"]);
  });

  it("a release larger than the sends drops the entry too", () => {
    const table = new HandleTable();
    const id = table.send({});
    table.release(id, 5);
    expect(table.size).toBe(0);
  });

  it("an object sent again after its release gets a new id", () => {
    const table = new HandleTable();
    const a = {};
    const first = table.send(a);
    table.release(first, 1);
    const second = table.send(a);
    expect(second).not.toBe(first);
    expect(table.get(second)).toBe(a);
  });

  it("forget drops at once without onRelease", () => {
    const table = new HandleTable();
    const released: string[] = [];
    const a = {};
    const id = table.send(a, () => released.push("a"));
    table.send(a);
    table.forget(id);
    table.forget(id);
    expect(table.get(id)).toBeUndefined();
    expect(released).toEqual([]);
    expect(table.send(a)).not.toBe(id);
  });

  it("undoes the sends of a message that failed to post, and keeps those of one that posted", () => {
    const table = new HandleTable();
    const released: string[] = [];
    const old = {};
    const oldId = table.send(old, () => released.push("old"));
    table.beginMessage();
    const fresh = {};
    const freshId = table.send(fresh, () => released.push("fresh"));
    table.send(old);
    table.endMessage(false);
    expect(table.get(freshId)).toBeUndefined();
    // Never handed over: the entry goes without its release action (issue 9 item 10).
    expect(released).toEqual([]);
    expect([...table.values()].map((entry) => entry.sent)).toEqual([1]);
    table.beginMessage();
    table.send(old);
    table.endMessage(true);
    expect([...table.values()].map((entry) => entry.sent)).toEqual([2]);
    // Outside a message nothing is journaled: a later failed message undoes only its own sends.
    table.send(old);
    table.beginMessage();
    table.endMessage(false);
    expect(table.get(oldId)).toBe(old);
    expect([...table.values()].map((entry) => entry.sent)).toEqual([3]);
  });

  it("a message's journal starts empty even if the previous one was not ended", () => {
    const table = new HandleTable();
    const a = {};
    table.beginMessage();
    const id = table.send(a);
    table.beginMessage();
    table.endMessage(false);
    expect(table.get(id)).toBe(a);
  });

  it("unsend drops an entry whose only send is undone", () => {
    const table = new HandleTable();
    const released: number[] = [];
    const id = table.send({}, () => released.push(1));
    table.send(table.get(id)!);
    table.unsend(id);
    expect(table.size).toBe(1);
    table.unsend(id);
    expect(table.size).toBe(0);
    // Never handed over: the entry goes without its release action (issue 9 item 10).
    expect(released).toEqual([]);
    table.unsend(id);
  });
});

describe("HandleRefs", () => {
  const setup = () => {
    const posted: Array<ReadonlyArray<readonly [number, number]>> = [];
    const refs = new HandleRefs((releases) => posted.push(releases));
    return { refs, posted };
  };

  it("one local object per id while it lives; every receipt counted", () => {
    const { refs } = setup();
    let created = 0;
    const make = () => ({ n: ++created });
    const first = refs.adopt(1, make);
    expect(refs.adopt(1, make)).toBe(first);
    expect(refs.adopt(2, make)).not.toBe(first);
    expect(created).toBe(2);
    expect(refs.size).toBe(2);
  });

  it("release posts the id with the number of receipts, batched at the end of the tick", async () => {
    const { refs, posted } = setup();
    refs.adopt(1, () => ({}));
    refs.adopt(1, () => ({}));
    refs.adopt(1, () => ({}));
    refs.adopt(2, () => ({}));
    refs.release(1);
    refs.release(2);
    refs.release(2); // already released: nothing more
    expect(posted).toEqual([]);
    expect(refs.size).toBe(0);
    await Promise.resolve();
    expect(posted).toEqual([[[1, 3], [2, 1]]]);
    refs.release(3);
    await Promise.resolve();
    expect(posted).toHaveLength(1);
  });

  it("flush posts at once, and nothing when nothing is queued", () => {
    const { refs, posted } = setup();
    refs.flush();
    expect(posted).toEqual([]);
    refs.adopt(4, () => ({}));
    refs.release(4);
    refs.flush();
    expect(posted).toEqual([[[4, 1]]]);
  });

  it("forget drops an id without a release", async () => {
    const { refs, posted } = setup();
    refs.adopt(5, () => ({}));
    refs.forget(5);
    refs.forget(6);
    expect(refs.size).toBe(0);
    refs.release(5);
    await Promise.resolve();
    expect(posted).toEqual([]);
  });

  it("adoptObject tracks an object made before its id was known, as received once", async () => {
    const { refs, posted } = setup();
    const local = {};
    refs.adoptObject(7, local);
    expect(refs.adopt(7, () => ({}))).toBe(local);
    refs.release(7);
    await Promise.resolve();
    expect(posted).toEqual([[[7, 2]]]);
  });
});
