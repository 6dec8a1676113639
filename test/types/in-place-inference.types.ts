// What synchronizer.wrap(import.meta, impl) keeps through ordinary inference, beside what the
// declaration generator keeps (typegen.types.ts). Overloads: all of them (up to five). Type
// parameters: none; each becomes its constraint. TypeScript carries a function's type parameters
// through a generic call only when the call returns a bare function type with one call signature,
// and a wrapped function is more than that (it has .aio, .future and .with).
import type { Synchronizer } from "synchronicity-js";
import type { Equal, Expect } from "./expect.js";

declare const synchronizer: Synchronizer;

function parse(text: string): number;
function parse(value: number): string;
function parse(input: string | number): number | string {
  return typeof input === "string" ? Number(input) : String(input);
}
const wrappedParse = synchronizer.wrap(import.meta, parse);
const fromText = wrappedParse("1");
const fromNumber = wrappedParse.aio(1);
const fromNumberLater = wrappedParse.future(1);
export type W1 = Expect<Equal<typeof fromText, number>>;
export type W2 = Expect<Equal<typeof fromNumber, Promise<string>>>;
export type W3 = Expect<Equal<Awaited<typeof fromNumberLater>, string>>;
// @ts-expect-error: no overload takes a boolean
wrappedParse(true);

// Generic functions: the type parameter becomes its constraint; an explicit type argument is refused.
async function pick<T extends { id: number }>(items: T[]): Promise<T> {
  return items[0]!;
}
const wrappedPick = synchronizer.wrap(import.meta, pick);
const picked = wrappedPick([{ id: 1 }]);
export type W4 = Expect<Equal<typeof picked, { id: number }>>;
// @ts-expect-error: the wrapped function is not generic any more
wrappedPick<{ id: number; name: string }>([]);

// Classes: constructor overloads are kept; generic methods lose their type parameters.
class Box<V> {
  constructor(value: V);
  constructor(value: V, label: string);
  constructor(
    readonly value: V,
    readonly label = "",
  ) {}
  async map<U>(fn: (value: V) => U): Promise<U> {
    return fn(this.value);
  }
}
const WrappedBox = synchronizer.wrap(import.meta, Box);
const box = new WrappedBox(1, "one");
// @ts-expect-error: no constructor takes a number as its label
new WrappedBox(1, 2);
const mapped = box.map((value) => String(value));
// The class's own V became unknown too: the view is computed from Box's constructor type.
export type W5 = Expect<Equal<typeof mapped, unknown>>;
