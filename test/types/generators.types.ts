// Type tests for generators and iterables across the boundary.
import type { Api, RemoteIterable } from "synchronicity-js";
import type { Equal, Expect } from "./expect.js";

declare const api: Api<typeof import("../fixtures/generators.js")>;

// Async generator functions: Generator for blocking callers, AsyncGenerator for .aio, with TReturn/TNext.
const blocking = api.ticks(3);
const asyncIt = api.ticks.aio(3);
export type G1 = Expect<Equal<typeof blocking, RemoteIterable<number, string, undefined>>>;
export type G2 = Expect<Equal<typeof asyncIt, AsyncGenerator<number, string, undefined>>>;
const blockingAsGenerator: Generator<number, string, undefined> = blocking;
for (const n of api.ticks(3)) {
  const x: number = n;
  void x;
}
const chat = api.conversation();
export type G3 = Expect<Equal<ReturnType<typeof chat.next>, IteratorResult<string, string>>>;
chat.next("text");
// @ts-expect-error: conversation accepts strings through next()
chat.next(42);

// Sync generator functions too.
export type G4 = Expect<Equal<ReturnType<typeof api.countdown>, RemoteIterable<number, string, undefined>>>;
export type G5 = Expect<Equal<ReturnType<typeof api.countdown.aio>, AsyncGenerator<number, string, undefined>>>;

// Functions returning iterables give remote iterables, usable with for...of and for await.
export type G6 = Expect<Equal<ReturnType<typeof api.iterableObject>, RemoteIterable<number, unknown, undefined>>>;
export type G7 = Expect<Equal<ReturnType<typeof api.stream>, RemoteIterable<string, undefined, undefined>>>;
export type G8 = Expect<Equal<ReturnType<typeof api.stream.aio>, Promise<RemoteIterable<string, undefined, undefined>>>>;

// No futures on generator functions; .with keeps the shape.
// @ts-expect-error: futures are refused for generators
api.ticks.future(3);
export type G9 = Expect<Equal<ReturnType<ReturnType<typeof api.ticks.with>["aio"]>, AsyncGenerator<number, string, undefined>>>;
// @ts-expect-error: readAhead is a number
api.ticks.with({ readAhead: "many" });
void blockingAsGenerator;
