// Stateful objects in the worker: classes, handles, identity, disposal, lifetime (issue 4).
import { MessageChannel } from "node:worker_threads";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { ReferenceLostError, release, RemoteObject, Synchronizer } from "synchronicity-js";
import { fixture, runNode, script } from "./helpers.js";

const synchronizer = new Synchronizer();
const api = synchronizer.wrapModule<typeof import("./fixtures/objects.js")>(fixture("objects"));
afterAll(() => synchronizer.close());
beforeEach(() => {
  api.takeLog();
});

function connected(url = "memory://") {
  const db = new api.DBConnection(url);
  db.connect();
  return db;
}

describe("classes", () => {
  it("new constructs the instance in the worker; its state persists between calls", () => {
    const db = new api.DBConnection("memory://");
    expect(db.connected).toBe(false);
    db.connect();
    expect(db.connected).toBe(true);
    db.insert(1, "one");
    db.insert(2, "two");
    expect(db.query("all")).toEqual(["one", "two"]);
    expect(db.count()).toBe(2);
  });

  it("throws constructor errors in the caller, with their class", () => {
    expect(() => new api.DBConnection("not a url")).toThrow(TypeError);
    expect(() => new api.DBConnection("not a url")).toThrow("not a URL: not a url");
  });

  it("gives every method blocking, .aio and .future forms", async () => {
    const db = connected();
    db.insert(1, "x");
    expect(db.query("all")).toEqual(["x"]);
    expect(await db.query.aio("all")).toEqual(["x"]);
    expect(db.query.future("all").result()).toEqual(["x"]);
    expect(await db.count.aio()).toBe(1);
    expect(db.query).toBe(db.query); // bound once per instance
  });

  it("binds methods to their own instance (db.query.aio is not confused by this)", async () => {
    const a = connected("a://");
    const b = connected("b://");
    a.insert(1, "in a");
    const { aio } = b.query;
    expect(await aio("all")).toEqual([]);
    expect(await a.query.aio("all")).toEqual(["in a"]);
  });

  it("reads getters (also one returning a promise) and writes setters", () => {
    const db = connected();
    db.insert(1, "x");
    expect(db.rowCount).toBe(1);
    expect(db.label).toBe("primary");
    db.label = "renamed";
    expect(db.label).toBe("renamed");
  });

  it("reads and writes public fields", () => {
    const db = connected("fields://");
    expect(db.url).toBe("fields://");
    expect(db.disposed).toBe(false);
    db.disposed = true;
    expect(db.disposed).toBe(true);
  });

  it("keeps private state in the worker: the proxy shows public fields only", () => {
    const db = connected();
    expect(Object.keys(db).sort()).toEqual(["disposed", "greeting", "url"]);
    expect(Object.getOwnPropertyNames(db).join()).not.toMatch(/rows|connected|label/);
  });

  it("runs static methods and static getters", async () => {
    const db = api.DBConnection.open("static://");
    expect(db.connected).toBe(true);
    const other = await api.DBConnection.open.aio("static2://");
    expect(other.url).toBe("static2://");
    expect(api.DBConnection.version).toBe("db-1.0");
    expect(api.Base.created).toBeGreaterThan(0);
  });

  it("runs inherited members", async () => {
    const db = connected();
    expect(db.hello()).toBe("hello from DBConnection");
    expect(await db.inherited.aio()).toBe("inherited works");
  });

  it("overrides in subclasses", () => {
    const replica = new api.ReadOnlyReplica("replica://");
    replica.connect();
    expect(() => replica.insert(1, "x")).toThrow("read-only");
    expect(replica.query("select 1")).toEqual(["1"]);
  });

  it("cannot construct classes that are not exported, or the proxy base, locally", () => {
    expect(() => new (RemoteObject as unknown as new () => object)()).toThrow(/cannot be constructed here/);
  });
});

describe("handles", () => {
  it("returns class instances as proxies with their methods, not as copies", () => {
    const db = connected();
    db.insert(7, "seven");
    const row = db.row(7)!;
    expect(row).toBeInstanceOf(api.Row);
    expect(row.describe()).toBe("7:seven");
    expect(row.name).toBe("seven");
  });

  it("returns proxies nested in arrays, plain objects and Maps", () => {
    const db = connected();
    const nested = db.nested();
    expect(nested.me).toBe(db);
    expect(nested.list[0]).toBe(db);
    expect(nested.list[1]).toBe(db);
    expect(nested.map.get("me")).toBe(db);
  });

  it("returns functions as callable proxies with all three forms", async () => {
    const db = connected();
    const next = db.counter();
    expect(next()).toBe(1);
    expect(await next.aio()).toBe(2);
    expect(next.future().result()).toBe(3);
  });

  it("refuses to be posted to another thread (issue 17): no snapshot, no getters run", async () => {
    const counter = api.makeCounter();
    counter.bump();
    const { port1, port2 } = new MessageChannel();
    try {
      expect(() => port1.postMessage(counter)).toThrow(/could not be cloned/);
      expect(() => port1.postMessage({ nested: [counter] })).toThrow(/could not be cloned/);
      expect(() => structuredClone(counter)).toThrow(/could not be cloned/);
      // As the API object itself is.
      expect(() => port1.postMessage(api)).toThrow(/could not be cloned/);
    } finally {
      port1.close();
      port2.close();
    }
    // The proxy still works, and still goes back to the worker as the original.
    expect(counter.bump()).toBe(2);
    expect(counter.value).toBe(2);
  });

  it("returns a copy when the implementation asks for one (copy())", () => {
    const db = connected();
    db.insert(3, "three");
    const copied = db.rowCopy(3);
    expect(copied).not.toBeInstanceOf(api.Row);
    expect(copied).toEqual({ id: 3, name: "three" });
  });
});

describe("identity", () => {
  it("maps the same worker object to the same proxy through every path", async () => {
    const db = connected();
    expect(db.self()).toBe(db);
    expect(await db.self.aio()).toBe(db);
    expect(db.selfAsync()).toBe(db);
    expect(await db.selfAsync.aio()).toBe(db);
    expect(db.self.future().result()).toBe(db);
    expect(await db.self.future()).toBe(db);
    expect([...db.selves()]).toEqual([db, db]);
    const seen: unknown[] = [];
    for await (const item of db.selves.aio()) seen.push(item);
    expect(seen[0]).toBe(db);
    expect(db.nested().me).toBe(db);
  });

  it("passes a proxy back as the original object, also nested", () => {
    const db = connected();
    const other = connected();
    expect(db.isSame(db)).toBe(true);
    expect(db.isSame(other)).toBe(false);
    expect(db.sameInside({ list: [db, db] })).toBe(true);
    expect(db.sameInside({ list: [db, other] })).toBe(false);
  });

  it("holds for objects from static methods", () => {
    const db = api.DBConnection.open("id://");
    expect(db.self()).toBe(db);
  });
});

describe("instanceof", () => {
  it("mirrors the implementation's class relations", () => {
    const db = connected();
    const replica = new api.ReadOnlyReplica("r://");
    expect(db).toBeInstanceOf(api.DBConnection);
    expect(db).toBeInstanceOf(api.Base);
    expect(db).not.toBeInstanceOf(api.ReadOnlyReplica);
    expect(replica).toBeInstanceOf(api.ReadOnlyReplica);
    expect(replica).toBeInstanceOf(api.DBConnection);
    expect(replica).toBeInstanceOf(api.Base);
    expect(db).toBeInstanceOf(RemoteObject);
    expect(db.row(1)).toBeUndefined();
  });
});

describe("disposal", () => {
  it("using runs the implementation's [Symbol.asyncDispose] in the worker", () => {
    {
      using db = api.DBConnection.open("using://");
      expect(db.connected).toBe(true);
    }
    expect(api.takeLog()).toEqual(["disposed using://"]);
  });

  it("await using runs it without blocking", async () => {
    {
      await using db = await api.DBConnection.open.aio("await-using://");
      void db;
    }
    expect(api.takeLog()).toEqual(["disposed await-using://"]);
  });

  it("using with an error in the body still disposes, and the error propagates", () => {
    expect(() => {
      using db = api.DBConnection.open("failing://");
      void db;
      throw new Error("body failed");
    }).toThrow("body failed");
    expect(api.takeLog()).toEqual(["disposed failing://"]);
  });

  it("a class with only [Symbol.dispose] gets both forms", async () => {
    {
      using d = new api.SyncDisposable();
      void d;
    }
    {
      await using d = new api.SyncDisposable();
      void d;
    }
    expect(api.takeLog()).toEqual(["sync disposed", "sync disposed"]);
  });
});

describe("resource(): an async generator as a resource", () => {
  it("sets up, gives the yielded value, tears down (blocking and async)", async () => {
    const db = connected();
    {
      using tx = api.transaction(db, "t1");
      expect(tx.value.name).toBe("t1");
      expect(tx.value.db).toBe(db);
      expect(api.takeLog()).toEqual(["begin t1"]);
    }
    expect(api.takeLog()).toEqual(["commit t1", "end t1"]);
    {
      await using tx = await api.transaction.aio(db, "t2");
      void tx;
    }
    expect(api.takeLog()).toEqual(["begin t2", "commit t2", "end t2"]);
  });

  it("tears down when the body throws", () => {
    const db = connected();
    expect(() => {
      using tx = api.transaction(db, "t3");
      void tx;
      throw new RangeError("body");
    }).toThrow(RangeError);
    expect(api.takeLog()).toEqual(["begin t3", "commit t3", "end t3"]);
  });

  it("nested resources tear down in reverse order", () => {
    const db = connected();
    {
      using outer = api.transaction(db, "outer");
      using inner = api.transaction(db, "inner");
      void outer;
      void inner;
    }
    expect(api.takeLog()).toEqual(["begin outer", "begin inner", "commit inner", "end inner", "commit outer", "end outer"]);
  });

  it("a generator that never yields is an error at set-up", () => {
    expect(() => api.neverYields()).toThrow(/neverYields: the resource generator finished without yielding/);
  });

  it("a generator that yields twice is an error at tear-down", () => {
    expect(() => {
      using r = api.yieldsTwice();
      expect(r.value).toBe(1);
    }).toThrow(/yieldsTwice: the resource generator yielded more than once/);
  });

  it("a set-up that throws reaches the caller with its class", () => {
    expect(() => api.failsSetup()).toThrow(RangeError);
  });
});

describe("async iteration protocol on objects", () => {
  it("iterates with for...of and for await", async () => {
    const numbers = new api.Numbers(3);
    expect([...numbers]).toEqual([0, 1, 2]);
    const seen: number[] = [];
    for await (const n of numbers) seen.push(n);
    expect(seen).toEqual([0, 1, 2]);
  });
});

describe("lifetime", () => {
  it("release() frees the worker object now; later use gives a clear error", async () => {
    // A synchronizer of its own, so that the table holds exactly what this test holds.
    const s = new Synchronizer();
    const objects = s.wrapModule<typeof import("./fixtures/objects.js")>(fixture("objects"));
    try {
      const db = new objects.DBConnection("released://");
      const keeper = new objects.DBConnection("keeper://");
      expect((await s.diagnostics()).worker!.handles).toBe(2);
      release(db);
      release(db); // idempotent
      expect(() => db.count()).toThrow(ReferenceLostError);
      expect(() => db.count()).toThrow(/DBConnection #\d+ was released/);
      await expect(db.count.aio()).rejects.toThrow(ReferenceLostError);
      expect(() => db.url).toThrow(/was released/);
      expect(() => keeper.isSame(db)).toThrow(/was released; it cannot be sent/);
      expect((await s.diagnostics()).worker!.handles).toBe(1);
      expect(keeper.url).toBe("keeper://");
      expect(() => release({})).toThrow(/not a proxy/);
    } finally {
      await s.close();
    }
  });

  it("proxies that become unreachable release their worker objects, never during a call (--expose-gc)", async () => {
    const result = await runNode(script("object-lifetime.mjs"), [], { deadlineMs: 120_000 });
    expect(result.stderr).toBe("");
    const report = JSON.parse(result.stdout) as Record<string, number | boolean>;
    expect(report["inFlightSurvived"]).toBe(true);
    // Back where they started, but for the one proxy the script still holds.
    expect(report["handlesAfterChurn"]).toBeLessThanOrEqual((report["handlesBefore"] as number) + 1);
    expect(report["callerHandlesAfter"]).toBeLessThanOrEqual(1);
    expect(report["liveCountersAfter"]).toBeLessThanOrEqual(10);
    expect(report["heapGrowthMiB"]).toBeLessThan(16);
  }, 130_000);
});

describe("objects of a dead worker", () => {
  it("give a clear error after the worker restarts", async () => {
    const s = new Synchronizer();
    const objects = s.wrapModule<typeof import("./fixtures/objects.js")>(fixture("objects"));
    const crash = s.wrapModule<typeof import("./fixtures/crash.js")>(fixture("crash"));
    const db = new objects.DBConnection("doomed://");
    await expect(crash.exitWorker.aio(3)).rejects.toThrow(/exited with code 3/);
    expect(() => db.count()).toThrow(ReferenceLostError);
    expect(() => db.count()).toThrow(/DBConnection #\d+ was lost with its worker/);
    // The class and module keep working in the fresh worker.
    const fresh = new objects.DBConnection("fresh://");
    expect(fresh).toBeInstanceOf(objects.DBConnection);
    expect(fresh.url).toBe("fresh://");
    await s.close();
  });
});
