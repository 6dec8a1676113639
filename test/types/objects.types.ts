// Type tests for classes and objects living in the worker.
import type { Api, Blocking, BlockingFunction, Future, GeneratorFunction, RemoteIterable } from "synchronicity-js";
import type { Equal, Expect } from "./expect.js";

type Impl = typeof import("../fixtures/objects.js");
declare const api: Api<Impl>;

// new builds the object in the worker and gives its blocking view.
const db = new api.DBConnection("memory://");
export type O1 = Expect<Equal<typeof db, Blocking<import("../fixtures/objects.js").DBConnection>>>;
// @ts-expect-error: the constructor's argument types are kept
new api.DBConnection(42);

// Async methods become blocking, with .aio and .future.
export type O2 = Expect<Equal<ReturnType<typeof db.query>, string[]>>;
export type O3 = Expect<Equal<ReturnType<typeof db.query.aio>, Promise<string[]>>>;
export type O4 = Expect<Equal<ReturnType<typeof db.query.future>, Future<string[]>>>;
export type O5 = Expect<Equal<typeof db.connect, BlockingFunction<[], void>>>;
// Sync methods too.
export type O6 = Expect<Equal<ReturnType<typeof db.count>, number>>;
// @ts-expect-error: argument types are kept
db.query(1);

// Getters keep their types; a getter returning a promise reads as its value; fields too.
export type O7 = Expect<Equal<typeof db.connected, boolean>>;
export type O8 = Expect<Equal<typeof db.rowCount, number>>;
export type O9 = Expect<Equal<typeof db.url, string>>;
db.label = "renamed";

// Methods returning objects return blocking views; this-returning methods return the same view.
const row = db.row(1);
export type O10 = Expect<Equal<typeof row, Blocking<import("../fixtures/objects.js").Row> | undefined>>;
export type O11 = Expect<Equal<ReturnType<NonNullable<typeof row>["describe"]>, string>>;
export type O12 = Expect<Equal<ReturnType<typeof db.self>, Blocking<import("../fixtures/objects.js").DBConnection>>>;

// Generator methods return iterators, of blocking views where they yield objects.
export type O13 = Expect<Equal<typeof db.cursor, GeneratorFunction<[q: string], string, any, any>>>;
const selves = db.selves();
export type O14 = Expect<Equal<typeof selves, RemoteIterable<Blocking<import("../fixtures/objects.js").DBConnection>, any, any>>>;

// Proxies are accepted where the implementation takes its objects, also nested.
db.isSame(db);
db.sameInside({ list: [db, db] });

// Functions returned from calls are callable proxies.
const counter = db.counter();
export type O15 = Expect<Equal<typeof counter, BlockingFunction<[], number>>>;

// Static methods and getters.
export type O16 = Expect<Equal<ReturnType<typeof api.DBConnection.open>, Blocking<import("../fixtures/objects.js").DBConnection>>>;
export type O17 = Expect<Equal<ReturnType<typeof api.DBConnection.open.aio>, Promise<Blocking<import("../fixtures/objects.js").DBConnection>>>>;
export type O18 = Expect<Equal<typeof api.DBConnection.version, string>>;

// instanceof narrows to the blocking view.
function narrow(value: unknown) {
  if (value instanceof api.DBConnection) {
    const narrowed: Blocking<import("../fixtures/objects.js").DBConnection> = value;
    return narrowed;
  }
  return undefined;
}
void narrow;

// Disposal: using and await using type-check on objects with [Symbol.asyncDispose].
function useIt() {
  using scoped = api.DBConnection.open("memory://");
  return scoped.count();
}
async function useItAsync() {
  await using scoped = await api.DBConnection.open.aio("memory://");
  return scoped.count();
}
void useIt;
void useItAsync;
// @ts-expect-error: a Row has no disposal protocol
function cannotUse() { using bad = db.row(1)!; void bad; }
void cannotUse;

// Async-iterable classes iterate both ways.
const numbers = new api.Numbers(3);
for (const n of numbers) {
  const x: number = n;
  void x;
}

// Resources built with resource(): value and both kinds of disposal.
function tx() {
  using t = api.transaction(db, "t");
  const name: string = t.value.name;
  return name;
}
void tx;
