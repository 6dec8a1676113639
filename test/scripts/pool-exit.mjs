// A pool at the end of a script: every worker disposes the objects still held there.
import { Synchronizer } from "synchronicity-js";

const synchronizer = new Synchronizer({ threads: 2 });
const api = synchronizer.wrapModule(new URL("../../build/fixtures/pool.js", import.meta.url));
const held = await Promise.all([api.makeNoisy.aio("a"), api.makeNoisy.aio("b")]);
if (held[0].where() === held[1].where()) throw new Error("both objects landed on one worker");
console.log("script ends");
