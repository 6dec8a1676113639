// Type tests: checked by `npm run typecheck` (tsc), part of `npm test`. A wrong type is a compile error.
import { Future, Synchronizer, type Api, type BlockingFunction } from "synchronicity-js";
import type { Equal, Expect } from "./expect.js";

type Basic = typeof import("../fixtures/basic.js");
type Errors = typeof import("../fixtures/errors.js");
declare const api: Api<Basic>;
declare const errors: Api<Errors>;

// Async functions become blocking, with .aio and .future forms.
const squared = api.square(4);
const squaredAsync = api.square.aio(4);
const squaredFuture = api.square.future(4);
export type T1 = Expect<Equal<typeof squared, number>>;
export type T2 = Expect<Equal<typeof squaredAsync, Promise<number>>>;
export type T3 = Expect<Equal<typeof squaredFuture, Future<number>>>;
export type T4 = Expect<Equal<ReturnType<typeof squaredFuture.result>, number>>;
export type T5 = Expect<Equal<typeof api.square, BlockingFunction<[x: number, delayMs?: number], number>>>;

// Sync functions too; a sync function returning a promise is unwrapped.
export type T6 = Expect<Equal<ReturnType<typeof api.add>, number>>;
export type T7 = Expect<Equal<ReturnType<typeof api.later>, string>>;
export type T8 = Expect<Equal<ReturnType<typeof api.later.aio>, Promise<string>>>;
export type T9 = Expect<Equal<ReturnType<typeof api.default>, string>>;

// Constants keep their types.
export type T10 = Expect<Equal<typeof api.VERSION, "1.2.3">>;
export type T11 = Expect<Equal<typeof api.CONFIG, { retries: number; tags: Set<string> }>>;

// Wrong arguments fail to compile, in every form.
// @ts-expect-error: a string is not a number
api.square("4");
// @ts-expect-error: too many arguments
api.add(1, 2, 3);
// @ts-expect-error: missing argument
void api.add.aio(1);
// @ts-expect-error: wrong argument type in .future
api.square.future(true);
// @ts-expect-error: exports that do not exist
api.nope();
// @ts-expect-error: the api is read-only
api.square = api.square;

// Exported error classes keep their constructors and instance types.
const appError = new errors.AppError("x", "E_X");
export type T12 = Expect<Equal<typeof appError.code, string>>;
export type T13 = Expect<Equal<typeof errors.AppError, Errors["AppError"]>>;

// wrapModule and importModule are typed by their type argument.
declare const synchronizer: Synchronizer;
const wrapped = synchronizer.wrapModule<Basic>(new URL("file:///x.js"));
export type T14 = Expect<Equal<typeof wrapped, Api<Basic>>>;
const imported = synchronizer.importModule<Basic>("file:///x.js");
export type T15 = Expect<Equal<typeof imported, Promise<Api<Basic>>>>;
// @ts-expect-error: a module is a string or a URL
synchronizer.wrapModule<Basic>(42);

// Callbacks: a function where the implementation takes one; call options through .with().
type Callbacks = typeof import("../fixtures/callbacks.js");
declare const callbacks: Api<Callbacks>;
const progress = callbacks.withProgress(3, (step, label) => `${label}: ${step * 2}`);
export type T16 = Expect<Equal<typeof progress, unknown[]>>;
// @ts-expect-error: the callback's parameters are typed (step is a number)
callbacks.withProgress(3, (step: string) => step);
const limited = callbacks.slow.with({ timeout: 100, signal: new AbortController().signal });
export type T17 = Expect<Equal<ReturnType<typeof limited.aio>, Promise<string>>>;
// @ts-expect-error: unknown option
callbacks.slow.with({ retries: 3 });
// Futures can be cancelled.
callbacks.slow.future(10).cancel();
