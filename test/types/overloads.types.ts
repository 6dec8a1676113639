// Type tests for overloads in the mapped types (`Api<typeof import(...)>`, without the generator):
// every overload is kept, in every form; generics are not (that needs the generator: see typegen.types.ts).
import type { Api, Blocking, Future } from "synchronicity-js";
import type { Equal, Expect } from "./expect.js";


type Impl = typeof import("../fixtures/typegen.js");
declare const api: Api<Impl>;

// Overloaded functions keep every overload, in every form.
const fromText = api.parse("42");
const fromNumber = api.parse(42);
export type V1 = Expect<Equal<typeof fromText, number>>;
export type V2 = Expect<Equal<typeof fromNumber, string>>;
const asyncText = api.parse.aio("42");
const asyncNumber = api.parse.aio(42);
export type V4 = Expect<Equal<typeof asyncText, Promise<number>>>;
export type V5 = Expect<Equal<typeof asyncNumber, Promise<string>>>;
const futureNumber = api.parse.future(42);
export type V6 = Expect<Equal<typeof futureNumber, Future<string>>>;
const limited = api.parse.with({ timeout: 100 });
const limitedText = limited("1");
const limitedNumber = limited.aio(1);
export type V7 = Expect<Equal<typeof limitedText, number>>;
export type V8 = Expect<Equal<typeof limitedNumber, Promise<string>>>;
// @ts-expect-error: no overload takes a boolean
api.parse(true);
// @ts-expect-error: not in .aio either
void api.parse.aio(true);
// @ts-expect-error: nor in .future
api.parse.future(true);
// @ts-expect-error: nor through .with()
limited(true);

// Overloaded methods too.
declare const store: Blocking<import("../fixtures/typegen.js").Store<string>>;
const plain = store.lookup("k");
const withFallback = store.lookup("k", 0);
export type V9 = Expect<Equal<typeof plain, string | undefined>>;
// Generics are lost without the generator: D is unknown here.
export type V10 = Expect<Equal<typeof withFallback, unknown>>;
// @ts-expect-error: the key is a string
store.lookup(1);

// Constructor overloads are kept.
new api.Store("s");
new api.Store("s", [["k", "v"]]);
// @ts-expect-error: no constructor takes a number as its second argument
new api.Store("s", 1);

// Functions with a single signature keep their exact shape.
export type V11 = Expect<Equal<ReturnType<typeof api.count>, number>>;
// @ts-expect-error: count takes numbers
api.count("1");
