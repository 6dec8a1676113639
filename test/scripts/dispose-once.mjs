// Objects disposed by the caller are not disposed again at process exit (issue 9, item 23).
import { Synchronizer } from "synchronicity-js";

const log = process.argv[2];
const synchronizer = new Synchronizer();
const api = synchronizer.wrapModule(new URL("../../build/fixtures/disposal.js", import.meta.url));
// What `using a = api.open(...)` does at the end of its block (Node 20 has no `using` syntax).
api.open("a", log)[Symbol.dispose]();
const b = api.open("b", log);
b[Symbol.dispose]();
b[Symbol.dispose]();
const c = api.open("c", log);
await c[Symbol.asyncDispose]();
// Still held at exit: disposed by the shutdown, once.
globalThis.held = [b, c, api.open("d", log)];
