// Type tests for declarations written by `synchronicity-js types` (test/fixtures/typegen.api.d.ts,
// generated from test/fixtures/typegen.ts): generics and overloads survive, in every form, and the
// rules of the mapped types hold (views at any depth, views accepted as arguments, error classes
// as they are, constants read-only).
import { Synchronizer, type Future, type RemoteIterable } from "synchronicity-js";
import type { Api } from "../fixtures/typegen.api.js";
import type { Equal, Expect } from "./expect.js";


declare const synchronizer: Synchronizer;
const api = synchronizer.wrapModule<Api>(new URL("file:///typegen.js"));
// wrapModule returns a generated Api as it is (it is not mapped a second time).
export type N0 = Expect<Equal<typeof api, Api>>;
const imported = synchronizer.importModule<Api>("file:///typegen.js");
export type N0b = Expect<Equal<typeof imported, Promise<Api>>>;

interface User {
  id: number;
  name: string;
}

// Generic functions keep their type parameters, inferred or explicit, in every form.
const n = api.identity(42);
const s = api.identity<string>("x");
export type N1 = Expect<Equal<typeof n, number>>;
export type N2 = Expect<Equal<typeof s, string>>;
const asyncUser = api.identity.aio<User[]>([]);
export type N3 = Expect<Equal<Awaited<typeof asyncUser>, { id: number; name: string }[]>>;
const futureFlag = api.identity.future(true);
export type N4 = Expect<Equal<typeof futureFlag, Future<boolean>>>;
const withTimeout = api.identity.with({ timeout: 100 });
const viaWith = withTimeout("y");
export type N5 = Expect<Equal<typeof viaWith, string>>;
// @ts-expect-error: an explicit type argument is checked against the argument
api.identity<string>(42);
// @ts-expect-error: in .aio too
void api.identity.aio<number>("x");

// Constraints are kept.
const firstUser = api.first([{ id: 1, name: "a" }]);
export type N6 = Expect<Equal<typeof firstUser, { id: number; name: string } | undefined>>;
// @ts-expect-error: T extends { id: number }
api.first([{ name: "no id" }]);

// Overloads are kept, in every form.
const parsed = api.parse("42");
const formatted = api.parse(42);
export type N7 = Expect<Equal<typeof parsed, number>>;
export type N8 = Expect<Equal<typeof formatted, string>>;
const parsedAsync = api.parse.aio("1");
export type N9 = Expect<Equal<typeof parsedAsync, Promise<number>>>;
const formattedFuture = api.parse.future(1);
export type N10 = Expect<Equal<typeof formattedFuture, Future<string>>>;
const parsedWith = api.parse.with({ timeout: 5 })(1);
export type N11 = Expect<Equal<typeof parsedWith, string>>;
// @ts-expect-error: no overload takes a boolean
api.parse(true);
// @ts-expect-error: nor in .future
api.parse.future(false);

// Generic generators: the blocking form iterates, .aio is an AsyncGenerator, no .future.
const pairs = api.enumerate(["a", "b"]);
export type N12 = Expect<Equal<typeof pairs, RemoteIterable<[number, string], number, undefined>>>;
const asyncPairs = api.enumerate.aio([1n]);
export type N13 = Expect<Equal<typeof asyncPairs, AsyncGenerator<[number, bigint], number, undefined>>>;
// @ts-expect-error: generators have no future
api.enumerate.future([]);

// Callbacks: their parameters are inferred from the other arguments, results from the callback.
const lengths = api.mapEach(["a", "bb"], (item) => item.length);
export type N14 = Expect<Equal<typeof lengths, number[]>>;
// @ts-expect-error: item is a string, not a number
api.mapEach(["a"], (item: number) => item);

// Rest parameters.
const counted = api.count(1, 2, 3);
export type N15 = Expect<Equal<typeof counted, number>>;
// @ts-expect-error: numbers only
api.count(1, "2");

// Classes: constructor overloads and the class's type parameters.
const store = new api.Store("s", [["k", 1]]);
export type N16 = Expect<Equal<ReturnType<typeof store.get>, number | undefined>>;
const plainStore = new api.Store("plain");
export type N17 = Expect<Equal<ReturnType<typeof plainStore.get>, string | undefined>>;
// @ts-expect-error: the entries are pairs
new api.Store("s", [1]);
// @ts-expect-error: a value of the wrong type
store.set("k", "not a number");

// Generic methods keep their type parameters; overloaded methods their overloads.
const converted = store.read("k", (value) => String(value));
export type N18 = Expect<Equal<typeof converted, string>>;
const fallback = store.lookup("k", "none");
// The literal is kept, as in the implementation's own signature (D is at the top of its result).
export type N19 = Expect<Equal<typeof fallback, number | "none">>;
const noFallback = store.lookup("k");
export type N20 = Expect<Equal<typeof noFallback, number | undefined>>;
const readAsync = store.read.aio<boolean>("k", (value) => value === 1);
export type N21 = Expect<Equal<typeof readAsync, Promise<boolean>>>;
// @ts-expect-error: the key is a string
store.lookup(1);

// Methods returning instances (also `this`, also generic ones) return views, which keep generic methods.
const same = store.set("k", 2);
export type N22 = Expect<Equal<typeof same, typeof store>>;
const child = store.child<Date>("c");
export type N23 = Expect<Equal<ReturnType<typeof child.get>, Date | undefined>>;
const childLookup = child.lookup("k", 0);
export type N24 = Expect<Equal<typeof childLookup, Date | 0>>;

// Generic statics; readonly static constants.
const opened = api.Store.open("o", "k", 1n);
export type N25 = Expect<Equal<ReturnType<typeof opened.get>, bigint | undefined>>;
const openedAsync = api.Store.open.aio("o", "k", [true]);
export type N26 = Expect<Equal<ReturnType<Awaited<typeof openedAsync>["get"]>, boolean[] | undefined>>;
export type N27 = Expect<Equal<typeof api.Store.kind, "store">>;
// @ts-expect-error: statics are read-only
api.Store.kind = "other";

// Properties and getters read through; readonly fields and getters without setters are read-only.
export type N28 = Expect<Equal<typeof store.writes, number>>;
export type N29 = Expect<Equal<typeof store.size, number>>;
store.writes = 3;
// @ts-expect-error: size is a getter without a setter
store.size = 3;
// @ts-expect-error: name is readonly
store.name = "x";

// Generator methods iterate both ways.
for (const key of store.keys()) {
  const k: string = key;
  void k;
}
// @ts-expect-error: no future for generator methods
store.keys.future();

// Views at any depth: instances nested in results are views, with their generic methods.
const nested = api.stores();
export type N30 = Expect<Equal<ReturnType<typeof nested.main.get>, number | undefined>>;
const nestedLookup = nested.all[0].lookup("k", 1);
export type N31 = Expect<Equal<typeof nestedLookup, string | 1>>;

// Arguments accept views where the implementation takes its objects.
api.sizeOf(store);
api.sizeOf(nested.main);
// @ts-expect-error: a store of strings is not a store of numbers
api.sizeOf(nested.all[0]);
// @ts-expect-error: not a store
api.sizeOf({ size: 1 });

// Disposal: the class has [Symbol.asyncDispose], so its views work with `using` and `await using`.
function scoped() {
  using temporary = new api.Store("t");
  return temporary.size;
}
void scoped;
// instanceof narrows to the view.
function narrow(value: unknown) {
  if (value instanceof api.Store) return value.lookup("k", 0);
  return undefined;
}
void narrow;

// Error classes stay as they are.
const error = new api.QueryError("failed", "E1");
export type N32 = Expect<Equal<typeof api.QueryError, typeof import("../fixtures/typegen.js").QueryError>>;
export type N33 = Expect<Equal<typeof error.code, string>>;

// Constants are read-only snapshots, with their types.
export type N34 = Expect<Equal<typeof api.GREETING, "hello">>;
export type N35 = Expect<Equal<typeof api.LIMITS.tags, string[]>>;
// @ts-expect-error: the api is read-only
api.GREETING = "bye";
// @ts-expect-error: exports that do not exist
api.nope();
