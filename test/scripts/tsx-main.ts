// Run under tsx: the worker imports the TypeScript source of the fixture directly.
import { Synchronizer } from "synchronicity-js";

const synchronizer = new Synchronizer();
const api = synchronizer.wrapModule<typeof import("../fixtures/basic.ts")>(new URL("../fixtures/basic.ts", import.meta.url));
const squared: number = api.square(7, 10);
console.log(`square ${squared}`);
console.log(`aio ${await api.square.aio(8, 10)}`);
