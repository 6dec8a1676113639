// A blocking call made from inside the worker must fail at once with a DeadlockError.
import { Synchronizer } from "synchronicity-js";

const synchronizer = new Synchronizer();
const api = synchronizer.wrapModule(new URL("../../build/fixtures/reentrant.js", import.meta.url));
const report = api.blockingFromInside();
const aio = api.aioFromInside();
console.log(JSON.stringify({ ...report, aio }));
await synchronizer.close();
