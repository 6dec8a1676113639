// Whether sending objects loads Node's web streams, which cost 1-5 ms to load: the codec asks
// whether a value is a ReadableStream (which crosses as an iterator), and reading the global
// `ReadableStream` is what loads them. Prints, as JSON, whether this thread and the worker have
// loaded them after calls that carry objects both ways, then whether this thread has once it read
// the global itself (the check can see a load).
import { Synchronizer } from "synchronicity-js";

const loaded = () => process.moduleLoadList.includes("NativeModule internal/webstreams/readablestream");
const synchronizer = new Synchronizer();
const api = synchronizer.wrapModule(new URL("../../build/fixtures/introspect.js", import.meta.url));
const report = { before: loaded() };
report.counted = api.counted({ a: 1 }, [{ b: 2 }], new Map([["c", { d: 3 }]]));
report.threadIdIsNumber = typeof api.whereAmI().threadId === "number";
report.aio = (await api.whereAmIAsync.aio()).isMainThread;
report.caller = loaded();
report.worker = api.webStreamsLoaded();
void globalThis.ReadableStream;
report.callerAfterReadingTheGlobal = loaded();
await synchronizer.close();
console.log(JSON.stringify(report));
