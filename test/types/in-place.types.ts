// Type tests for synchronizer.wrap: it is generic over the wrapped value and gives the same typed
// views as wrapModule (Wrapped<T>), inferred from the implementation without a type argument.
import { Synchronizer, type BlockingFunction, type Future, type GeneratorFunction, type RemoteIterable, type Wrapped } from "synchronicity-js";
import type { Equal, Expect } from "./expect.js";

type Lib = typeof import("../fixtures/in-place.js");
declare const lib: Lib;
declare const synchronizer: Synchronizer;

// Functions: blocking, .aio, .future, .with, argument types kept (optional ones too).
export type I1 = Expect<Equal<typeof lib.square, BlockingFunction<[x: number, delayMs?: number], number>>>;
export type I2 = Expect<Equal<ReturnType<typeof lib.square.aio>, Promise<number>>>;
export type I3 = Expect<Equal<ReturnType<typeof lib.square.future>, Future<number>>>;
export type I4 = Expect<Equal<ReturnType<typeof lib.whereAmI>, { threadId: number; isWorker: boolean }>>;
// @ts-expect-error: a string is not a number
lib.square("4");
// @ts-expect-error: unknown call option
lib.square.with({ retries: 1 });

// Generators: iterators both ways, with their return type.
export type I5 = Expect<Equal<typeof lib.countdown, GeneratorFunction<[from: number], number, string, unknown>>>;
export type I6 = Expect<Equal<ReturnType<typeof lib.letters>, RemoteIterable<string, void, unknown>>>;

// Classes: new gives the blocking view; statics, getters and the wrapped subclass too.
const db = new lib.DBConnection("memory://");
export type I7 = Expect<Equal<ReturnType<typeof db.insert>, number>>;
export type I8 = Expect<Equal<ReturnType<typeof db.insert.aio>, Promise<number>>>;
export type I9 = Expect<Equal<typeof db.size, number>>;
export type I10 = Expect<Equal<ReturnType<typeof lib.DBConnection.open>, typeof db>>;
export type I11 = Expect<Equal<typeof lib.DBConnection.driver, string>>;
const cached = new lib.CachedConnection("memory://");
export type I12 = Expect<Equal<ReturnType<typeof cached.cached>, string>>;
// @ts-expect-error: the constructor's argument types are kept
new lib.DBConnection(42);

// Error classes stay themselves, as with wrapModule.
const notFound = new lib.NotFound("k");
export type I13 = Expect<Equal<typeof notFound.key, string>>;

// Inference: wrap(meta, impl) is Wrapped<typeof impl>, no type argument needed.
async function double(x: number): Promise<number> {
  return 2 * x;
}
const doubled = synchronizer.wrap(import.meta, double);
export type I14 = Expect<Equal<typeof doubled, Wrapped<typeof double>>>;
export type I15 = Expect<Equal<typeof doubled, BlockingFunction<[x: number], number>>>;

// What TypeScript allows: a generic function's type parameter becomes its constraint (unknown
// when unconstrained), because a mapped function type cannot stay generic; overloads keep the last.
async function first<T extends string | number>(items: T[]): Promise<T> {
  return items[0]!;
}
const wrappedFirst = synchronizer.wrap(import.meta, first);
export type I16 = Expect<Equal<ReturnType<typeof wrappedFirst>, string | number>>;
async function identity<T>(value: T): Promise<T> {
  return value;
}
export type I17 = Expect<Equal<ReturnType<typeof synchronizer.wrap<typeof identity>>, BlockingFunction<[value: unknown], unknown>>>;

// The defining module: import.meta, CommonJS's module or __filename, or a file: URL.
synchronizer.wrap(new URL("file:///x.js"), double);
synchronizer.wrap("/abs/path.js", double);
synchronizer.wrap({ filename: "/abs/path.cjs" }, double, { name: "double" });
// @ts-expect-error: not a module
synchronizer.wrap(42, double);
// @ts-expect-error: only functions and classes can be wrapped
synchronizer.wrap(import.meta, { value: 1 });
// @ts-expect-error: name is a string
synchronizer.wrap(import.meta, double, { name: 1 });
// @ts-expect-error: unknown option
synchronizer.wrap(import.meta, double, { eager: true });
export const isWorker: boolean = synchronizer.isWorker;
