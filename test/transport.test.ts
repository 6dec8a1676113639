// The shared-memory transport (src/protocol/shm/): its codec gives exactly what structured clone
// gives or refuses, its rings keep the order of sending across wrap-around and port fallbacks,
// and an idle synchronizer does not spin. The rest of the suite runs over it too; properties and
// stress also run over the port-only transport (vitest.config.ts, project "port").
import { MessageChannel } from "node:worker_threads";
import { afterAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { Synchronizer } from "synchronicity-js";
import { fixture, runNode, script } from "./helpers.js";
import { CompactEncoder, NO_ROOM, UNSUPPORTED } from "../src/protocol/shm/codec.js";
import { CompactDecoder } from "../src/protocol/shm/decoder.js";
import { RingReader, RingWriter } from "../src/protocol/shm/ring.js";
import { createRings, RING_BYTES, ringHeader, TO_WORKER, WORKER_SLEEPING } from "../src/protocol/shm/ring-layout.js";
import { ShmWorkerTransport } from "../src/protocol/shm/worker-transport.js";
import { ShmCallerTransport } from "../src/protocol/shm/caller-transport.js";
import { createSharedState } from "../src/protocol/shared-state.js";
import { oneItemStepReply } from "../src/protocol/messages.js";

type Fixture = typeof import("./fixtures/transport.js");

/** Encode enough small messages for the encoder to take large ones (see WARM_OBJECTS in codec.ts). */
function warmUp(encoder: CompactEncoder): void {
  const small = () => Array.from({ length: 200 }, () => ({}));
  for (let i = 0; i < 50; i++) encoder.encode(small(), 0, 1 << 16);
}

function codec(size = 1 << 16) {
  const buffer = new SharedArrayBuffer(size);
  const bytes = new Uint8Array(buffer);
  const view = new DataView(buffer);
  return { encoder: new CompactEncoder(bytes, view), decoder: new CompactDecoder(bytes, view, Buffer.from(buffer)) };
}

describe("compact codec", () => {
  const { encoder, decoder } = codec();
  const roundTrip = (value: unknown) => {
    const end = encoder.encode(value, 0, 1 << 16);
    expect(end, "accepted").toBeGreaterThan(0);
    return decoder.decode(0);
  };

  it("gives what structured clone gives for the values it accepts", () => {
    const values: unknown[] = [
      0, -0, 1, -1, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, 1.5, NaN, Infinity, -Infinity, Number.MIN_VALUE,
      "", "a", "req", "héllo", "日本語", "\ud800 lone \udfff", "x".repeat(4096), true, false, null, undefined,
      [], [1, "two", [3]], { a: 1, b: { c: [true, null] } }, { 2: "b", 1: "a", z: 0, y: undefined },
      { t: "req", id: 7, op: "call", target: { module: 0, name: "add" }, args: [1, 2] },
    ];
    for (const value of values) {
      const copy = roundTrip(value);
      expect(copy).toStrictEqual(structuredClone(value));
      if (typeof value === "object" && value !== null) {
        expect(Object.keys(copy as object)).toEqual(Object.keys(value));
        expect(copy).not.toBe(value);
      }
    }
    expect(Object.is(roundTrip(-0), -0)).toBe(true);
    expect(roundTrip("\ud800")).toBe("\ud800");
  });

  it("refuses what it cannot copy exactly, so that structured clone takes it", () => {
    const holey = [1, , 3]; // eslint-disable-line no-sparse-arrays
    const withProp = Object.assign([1, 2], { x: 1 });
    const emptyWithProp = Object.assign([], { x: 1 });
    const holeAndProp = Object.assign([, 1], { x: 1 }); // eslint-disable-line no-sparse-arrays
    const shared = { s: 1 };
    const cyclic: Record<string, unknown> = {};
    cyclic["self"] = cyclic;
    let deep: unknown = 1;
    for (let i = 0; i < 100; i++) deep = [deep];
    const refused: unknown[] = [
      holey, withProp, emptyWithProp, holeAndProp, [shared, shared], cyclic, deep,
      JSON.parse('{"__proto__": 1}'), Object.create(null), new Proxy({}, {}), new Proxy([], {}),
      new Date(0), new Map(), new Uint8Array(2), new ArrayBuffer(2), 1n, Symbol("s"), () => 1,
      new (class Point {})(), "x".repeat(4097), { ok: [new Date(0)] },
      { get boom() { throw new Error("getter"); } },
      // Plain objects the senders' scan for markers would change (they offer plain data to the
      // codec before scanning it: postCompact): iterables they lend, an object tagged as an Error.
      { *[Symbol.iterator]() {} }, { async *[Symbol.asyncIterator]() {} }, { [Symbol.toStringTag]: "Error", message: "m" },
    ];
    refused.forEach((value, i) => expect(encoder.encode({ value }, 0, 1 << 16), `refused[${i}]`).toBe(UNSUPPORTED));
  });

  it("refuses a large value until it has written enough for V8 to have optimized it (structured clone takes it meanwhile)", () => {
    const { encoder, decoder } = codec(1 << 20);
    const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ id: i, name: `row ${i}` }));
    expect(encoder.encode(rows(1000), 0, 1 << 20)).toBe(UNSUPPORTED);
    expect(encoder.encode(rows(100), 0, 1 << 20)).toBeGreaterThan(0);
    expect(decoder.decode(0)).toStrictEqual(rows(100));
    // The objects visited before a refusal count too: a thread that sends only large values warms up.
    let refusals = 1;
    while (encoder.encode(rows(1000), 0, 1 << 20) === UNSUPPORTED) refusals++;
    expect(refusals).toBeGreaterThan(10);
    expect(refusals).toBeLessThan(40);
    expect(decoder.decode(0)).toStrictEqual(rows(1000));
  });

  it("spells a repeated key list once (SAME_KEYS) and still gives what structured clone gives", () => {
    const { encoder, decoder } = codec(1 << 22);
    warmUp(encoder);
    const trip = (value: unknown) => {
      const end = encoder.encode(value, 0, 1 << 22);
      expect(end, "accepted").toBeGreaterThan(0);
      const copy = decoder.decode(0);
      expect(copy).toStrictEqual(structuredClone(value));
      return end;
    };
    const rows = Array.from({ length: 100 }, (_, i) => ({ id: i, name: `user${i}`, email: `user${i}@example.com`, score: i / 2, active: i % 2 === 0 }));
    // The keys travel once: 100 rows take little more than their values.
    const spelled = trip(rows.slice(0, 1));
    expect(trip(rows)).toBeLessThan(spelled * 100 - 99 * 30);
    // Inner objects are numbered before the object holding them, on both sides.
    const tree = { value: 1, children: [{ value: 2, children: [] }, { value: 3, children: [{ value: 4, children: [] }] }] };
    trip([tree, { inner: { value: 5, children: [] } }]);
    trip([{ a: { b: 1 } }, { a: { b: 2 } }, { b: 3 }, { a: 4 }]);
    // More shapes than the encoder compares with, interleaved; the same keys in another order; a
    // shape that differs only by one key; integer-like keys (listed first by Object.keys).
    // (Fresh objects each time: the same object twice is a shared reference, which is refused.)
    const shapes = () => ["a", "b", "c", "d", "e", "f"].map((k, i) => ({ [k]: i, z: i }));
    trip([...shapes(), ...shapes(), ...shapes().reverse(), { z: 1, a: 2 }, { a: 1, z: 2, y: 3 }, { 2: "b", 1: "a", x: 0 }, { 1: "c", 2: "d", x: 1 }, {}, {}]);
    // Past the 65,535 numbered key lists, objects are spelled out in full (as many on both sides).
    const many = Array.from({ length: 65_540 }, (_, i) => ({ [`k${i}`]: i }));
    trip([...many, { k65536: 0 }, { k65538: 1 }, { k0: 2 }]);
  });

  it("gives what structured clone gives for arrays of objects drawn from a few key lists", () => {
    const { encoder, decoder } = codec(1 << 20);
    // (No "constructor" key: toStrictEqual compares the two objects' constructor properties.)
    const keyList = fc.uniqueArray(fc.constantFrom("id", "name", "0", "7", "x", "é", "value", "then"), { maxLength: 4 });
    const leaf = fc.oneof(fc.integer(), fc.double(), fc.string({ maxLength: 12 }), fc.boolean(), fc.constant(null), fc.constant(undefined));
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof({ depthSize: "small", withCrossShrink: true }, leaf, tie("object"), fc.array(tie("tree"), { maxLength: 6 })),
      object: fc.tuple(keyList, fc.array(tie("tree"), { minLength: 4, maxLength: 4 })).map(([keys, values]) => Object.fromEntries(keys.map((key, i) => [key, values[i]]))),
    }));
    fc.assert(
      fc.property(fc.array(tree, { maxLength: 12 }), (value) => {
        expect(encoder.encode(value, 0, 1 << 20)).toBeGreaterThan(0);
        expect(decoder.decode(0)).toStrictEqual(structuredClone(value));
      }),
      { numRuns: 300 },
    );
  });

  it("frames a lockstep step's reply (STEP): it decodes to the message the worker means", () => {
    const items: unknown[] = [0, -0, 7, -(2 ** 31), 2 ** 40, 0.5, NaN, "", "item", "日本語", "w".repeat(300), true, false, null, undefined];
    items.forEach((item, i) => {
      const end = encoder.encode(item, 0, 1 << 16, 1000 + i);
      expect(end, `item ${i} accepted`).toBeGreaterThan(0);
      expect(decoder.decode(0)).toStrictEqual(structuredClone(oneItemStepReply(1000 + i, item)));
    });
    expect(encoder.encode(-0, 0, 1 << 16, 1)).toBeGreaterThan(0);
    expect(Object.is((decoder.decode(0) as { value: { values: unknown[] } }).value.values[0], -0)).toBe(true);
    // What the codec does not take (a bigint) is refused, as in any message: the port carries it.
    expect(encoder.encode(10n, 0, 1 << 16, 1)).toBe(UNSUPPORTED);
  });

  it("reports a value that does not fit, and writes nothing past the limit", () => {
    const { encoder, decoder } = codec(64);
    expect(encoder.encode("y".repeat(100), 0, 64)).toBe(NO_ROOM);
    const end = encoder.encode([1, 2, 3], 8, 40);
    expect(end).toBeLessThanOrEqual(40);
    expect(decoder.decode(8)).toEqual([1, 2, 3]);
  });
});

/** Both ends of the caller -> worker ring, with the port beside it (close port1 when done). */
function ringPair() {
  const rings = createRings();
  const header = ringHeader(rings);
  const { port1, port2 } = new MessageChannel();
  return { writer: new RingWriter(header, rings, TO_WORKER, port1), reader: new RingReader(header, rings, TO_WORKER, port2), port1 };
}

describe("rings", () => {
  it("writeStep publishes oneItemStepReply(id, item), in the ring or on the port, in the order sent", () => {
    const { writer, reader, port1 } = ringPair();
    writer.writeStep(1, 42);
    writer.writeStep(2, 10n); // refused by the codec: the port
    writer.write({ t: "res", id: 3, ok: true, value: "after" });
    writer.writeStep(4, "last");
    const got = [reader.read(), reader.read(), reader.read(), reader.read(), reader.read()];
    expect(got).toStrictEqual([oneItemStepReply(1, 42), oneItemStepReply(2, 10n), { t: "res", id: 3, ok: true, value: "after" }, oneItemStepReply(4, "last"), undefined]);
    expect(writer.portMessages).toBe(1);
    port1.close();
  });

  it("deliver every message once, in the order sent, across wrap-around, full rings and port fallbacks", () => {
    const { writer, reader, port1 } = ringPair();
    const sent: unknown[] = [];
    const got: unknown[] = [];
    const drain = () => {
      for (let m = reader.read(); m !== undefined; m = reader.read()) got.push(m);
    };
    let n = 0;
    const next = (): unknown => {
      n++;
      switch (n % 5) {
        case 0:
          return { n, when: new Date(n) }; // refused by the codec: the port
        case 1:
          return { n, text: "z".repeat((n * 37) % 4000) }; // sizes that do not divide the ring
        case 2:
          return { n, big: "q".repeat(5000) }; // too long for the ring: the port
        default:
          return { n, list: [n, -n, n / 3] };
      }
    };
    // Write far more than the ring holds, reading in uneven bursts, so that it fills and wraps.
    for (let round = 0; round < 40; round++) {
      for (let i = 0; i < 150; i++) {
        const message = next();
        sent.push(message);
        writer.write(message);
      }
      if (round % 3 !== 2) drain();
    }
    drain();
    expect(got.length).toBe(sent.length);
    expect(got).toEqual(sent);
    // The ring was filled and wrapped several times over.
    const inRing = sent.reduce((sum: number, m) => sum + ((m as { text?: string }).text?.length ?? 0), 0);
    expect(inRing).toBeGreaterThan(RING_BYTES * 4);
    port1.close();
  });

  it("tryWrite publishes only what the codec takes; writeToPort skips the codec; the order holds across both", () => {
    const { writer, reader, port1 } = ringPair();
    expect(writer.tryWrite({ a: 1 })).toBe(true);
    expect(writer.tryWrite({ b: new Date(1) })).toBe(false);
    expect(writer.portMessages).toBe(0);
    writer.writeToPort({ b: new Date(1) });
    writer.writeToPort({ c: 3 }); // taken by the codec if offered: the port all the same
    expect(writer.tryWrite({ d: 4 })).toBe(true);
    expect(writer.portMessages).toBe(2);
    expect([reader.read(), reader.read(), reader.read(), reader.read(), reader.read()]).toEqual([{ a: 1 }, { b: new Date(1) }, { c: 3 }, { d: 4 }, undefined]);
    port1.close();
  });

  it("publish nothing when a message cannot be posted", () => {
    const { writer, reader, port1 } = ringPair();
    writer.write({ a: 1 });
    expect(() => writer.write({ f: () => 1 })).toThrow(/could not be cloned/);
    writer.write({ b: new Date(2) });
    expect(reader.read()).toEqual({ a: 1 });
    expect(reader.read()).toEqual({ b: new Date(2) });
    expect(reader.read()).toBeUndefined();
    port1.close();
  });
});

describe("the wake channel", () => {
  // The worker may boot, find nothing and go to sleep before the caller has built its side of the
  // transport (the caller loads the rest of its library meanwhile: caller/host/thread-start.ts; a
  // loaded machine may hold the caller up for longer than the boot). Its wake channel therefore
  // comes with the thread's start: it used to be the ring's first message, which a sleeping worker
  // never read, and the first request then hung.
  it("wakes a worker that went to sleep before the caller's side existed", async () => {
    const intervals: NodeJS.Timeout[] = [];
    const setIntervalBefore = globalThis.setInterval;
    // The worker's transport keeps its thread alive with an interval; this test ends it.
    globalThis.setInterval = ((...args: Parameters<typeof setInterval>) => {
      const handle = setIntervalBefore(...args);
      intervals.push(handle);
      return handle;
    }) as typeof setInterval;
    const shared = createSharedState();
    const rings = createRings();
    const data = new MessageChannel();
    const control = new MessageChannel();
    const wake = new MessageChannel();
    const received: unknown[] = [];
    try {
      const worker = new ShmWorkerTransport(data.port2, shared, rings, wake.port2);
      worker.listen((message) => received.push(message), () => true);
      const asleep = () => Atomics.load(ringHeader(rings), WORKER_SLEEPING) === 1;
      for (let waited = 0; !asleep() && waited < 5_000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(asleep()).toBe(true);
      const caller = new ShmCallerTransport(data.port1, control.port1, shared, rings, wake.port1);
      caller.post({ t: "req", id: 1, op: "stats" });
      for (let waited = 0; received.length === 0 && waited < 5_000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(received).toEqual([{ t: "req", id: 1, op: "stats" }]);
    } finally {
      globalThis.setInterval = setIntervalBefore;
      for (const handle of intervals) clearInterval(handle);
      for (const channel of [data, control, wake]) {
        channel.port1.close();
        channel.port2.close();
      }
    }
  });
});

describe("a large value while the codec is cold", () => {
  it("takes the port for the first calls, then shared memory", async () => {
    const synchronizer = new Synchronizer();
    try {
      const api = synchronizer.wrapModule<Fixture>(fixture("transport"));
      const rows = Array.from({ length: 1000 }, (_, i) => ({ id: i, name: `row ${i}`, even: i % 2 === 0 }));
      const portMessages = async () => (await synchronizer.diagnostics()).worker!.transport.portMessages;
      expect(api.record(rows)).toEqual(rows);
      const afterFirst = await portMessages();
      expect(afterFirst).toBeGreaterThanOrEqual(1);
      for (let i = 0; i < 40; i++) expect(api.record(rows)).toEqual(rows);
      const warm = await portMessages();
      for (let i = 0; i < 5; i++) expect(api.record(rows)).toEqual(rows);
      expect(await portMessages()).toBe(warm);
      expect(api.takeLog()).toHaveLength(46);
    } finally {
      await synchronizer.close();
    }
  });
});

describe("through a worker", () => {
  const synchronizer = new Synchronizer();
  const api = synchronizer.wrapModule<Fixture>(fixture("transport"));
  afterAll(() => synchronizer.close());

  it("calls reach the worker in the order made, whichever path each message takes", async () => {
    const values = Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? new Date(i) : i % 3 === 1 ? i : "w".repeat(i * 20)));
    const results = await Promise.all(values.map((v) => api.record.aio(v)));
    expect(results).toEqual(values);
    expect(api.takeLog()).toEqual(values);
    for (const v of values.slice(0, 30)) expect(api.record(v)).toEqual(v);
    expect(api.takeLog()).toEqual(values.slice(0, 30));
  });

  it("a view of a SharedArrayBuffer crosses without a copy, both ways (the zero-copy path)", async () => {
    // README, "Large binary data without a copy":
    const bytes = new Uint8Array(new SharedArrayBuffer(1024 * 1024));
    api.fill(bytes, 7); // the worker writes into the caller's memory
    expect(bytes[0]).toBe(7);
    const view = new Uint8Array(new SharedArrayBuffer(1 << 20), 16, 1000);
    const back = api.fill(view, 7);
    expect(view[999]).toBe(7); // written by the worker into the caller's memory
    expect(back.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect([back.byteOffset, back.length]).toEqual([16, 1000]);
    back[0] = 9; // the same memory
    expect(view[0]).toBe(9);
    const viaAio = await api.fill.aio(view, 3);
    expect([view[500], viaAio[500]]).toEqual([3, 3]);
    // An ordinary ArrayBuffer is copied: the caller's bytes stay as they were.
    const copy = new Uint8Array(8);
    expect(api.fill(copy, 5)[0]).toBe(5);
    expect(copy[0]).toBe(0);
  });

  it("callbacks during a blocking call take both paths too", () => {
    expect(api.relay((v) => ({ ...(v as object), seen: true }), { n: 1 })).toEqual({ n: 1, seen: true });
    expect(api.relay((v) => new Map([[v, v]]), 5)).toEqual(new Map([[5, 5]]));
  });

});

describe("idle", () => {
  // Forced spinning makes both sides poll and spin as on a quiet multi-core machine, whatever this
  // machine's load: the test then checks that the polling windows really close.
  for (const spin of ["always", undefined, "never"] as const) {
    it(`a synchronizer left idle after a burst uses (almost) no CPU (SYNCHRONICITY_SPIN=${spin ?? "unset"})`, async () => {
      const result = await runNode(script("idle-cpu.mjs"), [], { deadlineMs: 60_000, env: { SYNCHRONICITY_SPIN: spin } });
      expect(result.stderr).toBe("");
      const { idleCpuUs } = JSON.parse(result.stdout) as { idleCpuUs: number };
      // A thread spinning through that second would use about 1,000,000 µs.
      expect(idleCpuUs).toBeLessThan(250_000);
    });
  }

  it("a read-ahead iteration waiting for a producer that waits uses (almost) no CPU", async () => {
    const result = await runNode(script("idle-cpu.mjs"), ["readahead"], { deadlineMs: 60_000, env: { SYNCHRONICITY_SPIN: "always" } });
    expect(result.stderr).toBe("");
    const { idleCpuUs } = JSON.parse(result.stdout) as { idleCpuUs: number };
    expect(idleCpuUs).toBeLessThan(250_000);
  });
});

describe("one CPU (SYNCHRONICITY_SPIN=never)", () => {
  interface Counts {
    kind: string;
    calls: { wakeMessages: number };
    readAhead: { wakeMessages: number };
    lockstep: { wakeMessages: number };
  }
  const counts = async (env: Record<string, string>) => {
    const result = await runNode(script("wake-counts.mjs"), [], { deadlineMs: 60_000, env });
    expect(result.stderr).toBe("");
    return JSON.parse(result.stdout) as Counts;
  };

  it("the worker does not watch for the next request: it sleeps once its reply is out, and the request wakes it", async () => {
    const oneCpu = await counts({ SYNCHRONICITY_SPIN: "never" });
    expect(oneCpu.kind).toBe("shared-memory");
    // 300 blocking calls and 300 lockstep steps. A worker that watched the ring for the next request
    // (stealing the caller's CPU), or blocked its event loop waiting for it, needs a wake-up for
    // hardly any (3 to 10 measured); one that sleeps needs one for each request that comes once it
    // sleeps: all 300 on a quiet machine, 91 of 300 when test files ran beside it (on two cores the
    // caller can write its next request before the worker got to sleep).
    expect(oneCpu.calls.wakeMessages).toBeGreaterThanOrEqual(40);
    expect(oneCpu.lockstep.wakeMessages).toBeGreaterThanOrEqual(40);
  });

  it("where it can spin, the worker is still watching when the next request comes", async () => {
    const spinning = await counts({ SYNCHRONICITY_SPIN: "always" });
    // Measured: 3 to 9 wake-ups for each part of 300.
    expect(spinning.calls.wakeMessages + spinning.lockstep.wakeMessages).toBeLessThanOrEqual(300);
    const port = await counts({ SYNCHRONICITY_SPIN: "never", SYNCHRONICITY_TRANSPORT: "port" });
    expect(port.kind).toBe("port");
    expect(port.calls.wakeMessages).toBe(0);
  });
});

