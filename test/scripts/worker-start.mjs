// When does the worker start, and with which flags? Prints one JSON line: the process's thread
// count (Linux /proc) before the synchronizer, after wrapModule (and a pause), and after the first
// call; the flags this process and the worker were given.
import { readFileSync } from "node:fs";
import { Synchronizer } from "synchronicity-js";

const threads = () => Number(/^Threads:\s+(\d+)$/m.exec(readFileSync("/proc/self/status", "utf8"))[1]);
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

await pause(100); // let Node's own start-up threads settle
const before = threads();
const synchronizer = new Synchronizer();
const api = synchronizer.wrapModule(new URL("../../build/fixtures/introspect.js", import.meta.url));
await pause(300);
const afterWrap = threads();
const worker = api.whereAmI();
const afterCall = threads();
console.log(JSON.stringify({ before, afterWrap, afterCall, callerExecArgv: process.execArgv, workerExecArgv: worker.execArgv }));
