// Run with --require preloads/says.cjs: the preload writes in this thread and again in the worker's,
// before the worker's own code runs. Then one call, and the process exits at once.
import { Synchronizer } from "synchronicity-js";

const synchronizer = new Synchronizer();
const api = synchronizer.wrapModule(new URL("../../build/fixtures/introspect.js", import.meta.url));
console.log(`called, worker thread ${api.whereAmI().threadId}`);
process.exit(0);
