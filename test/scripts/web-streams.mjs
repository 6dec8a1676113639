// Whether calls load modules behind lazy globals, each 1-5 ms on the first call's path: Node's web
// streams (the codec asks whether a value is a ReadableStream, which crosses as an iterator, and
// reading the global `ReadableStream` loads them) and node:perf_hooks (the global `performance`;
// the library's clock is src/protocol/clock.ts), and node:v8 (about 1 ms of every worker's start
// when the worker's library imported it), node:module's public face (0.5 ms), and node:url in the
// worker (0.15 ms: unlike a main thread, a worker has not loaded it before user code). Prints, as JSON, whether this thread and the worker
// have loaded them after calls that carry objects both ways, then whether this thread has once it
// read the globals itself (the check can see a load).
import { Synchronizer } from "synchronicity-js";

const loaded = () => process.moduleLoadList.includes("NativeModule internal/webstreams/readablestream");
const perfHooks = () => process.moduleLoadList.includes("NativeModule perf_hooks");
const v8 = () => process.moduleLoadList.includes("NativeModule v8");
const synchronizer = new Synchronizer();
const api = synchronizer.wrapModule(new URL("../../build/fixtures/introspect.js", import.meta.url));
const report = { before: loaded(), perfHooksBefore: perfHooks() };
report.counted = api.counted({ a: 1 }, [{ b: 2 }], new Map([["c", { d: 3 }]]));
report.threadIdIsNumber = typeof api.whereAmI().threadId === "number";
report.aio = (await api.whereAmIAsync.aio()).isMainThread;
report.caller = loaded();
report.worker = api.webStreamsLoaded();
report.callerPerfHooks = perfHooks();
report.workerPerfHooks = api.perfHooksLoaded();
report.callerV8 = v8();
report.workerV8 = api.v8Loaded();
report.workerNodeModule = api.nodeModuleLoaded();
report.workerUrl = api.urlLoaded();
void globalThis.ReadableStream;
report.callerAfterReadingTheGlobal = loaded();
void globalThis.performance;
report.callerPerfHooksAfterReadingTheGlobal = perfHooks();
await import("node:v8");
report.callerV8AfterImportingIt = v8();
report.workerUrlAfterImportingIt = api.urlLoadedOnceImported();
await synchronizer.close();
console.log(JSON.stringify(report));
