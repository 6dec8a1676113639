// A callback the worker keeps stays registered in the caller; once the worker drops it (and
// collects it), the caller's table lets go of the function.
import { setTimeout as sleep } from "node:timers/promises";
import { Synchronizer } from "synchronicity-js";

const synchronizer = new Synchronizer();
const api = synchronizer.wrapModule(new URL("../../build/fixtures/callbacks.js", import.meta.url));
const callbacks = async () => (await synchronizer.diagnostics()).caller.callbacks;

api.unsubscribeAll();
api.subscribe((event) => event.length);
await api.emit.aio("x");
api.collect();
await sleep(50);
const registeredWhileKept = (await callbacks()) === 1;

api.unsubscribeAll();
for (let i = 0; i < 50 && (await callbacks()) !== 0; i++) {
  api.collect();
  await sleep(20);
}
console.log(JSON.stringify({ registeredWhileKept, releasedAfterDrop: (await callbacks()) === 0 }));
await synchronizer.close();
