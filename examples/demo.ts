// `npm run demo`: the seed README's examples, for real.
import { Synchronizer } from "synchronicity-js";

const synchronizer = new Synchronizer();
const api = synchronizer.wrapModule<typeof import("./squares.impl.js")>(new URL("./squares.impl.ts", import.meta.url));

const seconds = (start: number) => `${((performance.now() - start) / 1000).toFixed(2)} s`;

let start = performance.now();
console.log("f(42) =", api.f(42), `(blocking call, ${seconds(start)})`);

start = performance.now();
console.log("f(7) =", await api.f.aio(7), `(async call, ${seconds(start)})`);

start = performance.now();
const futures = Array.from({ length: 10 }, (_, i) => api.f.future(i)); // returns at once
const squares = futures.map((future) => future.result()); // ~1 s in all: they ran together
console.log("first ten squares:", squares.join(", "), `(ten futures, ${seconds(start)})`);

console.log("add(1, 2) =", api.add(1, 2), "(a sync export, computed in the worker)");
