// Values nested deeper than the main thread can deserialize (issue 9 item 1): one call fails with a
// DataCloneError, the others are unaffected, nothing stays pending. Prints one JSON report.
import { Synchronizer } from "synchronicity-js";

const synchronizer = new Synchronizer();
const api = synchronizer.wrapModule(new URL("../../build/fixtures/hardening.js", import.meta.url));
const outcome = async (fn) => {
  try {
    return { ok: await fn() };
  } catch (error) {
    return { error: { name: error.name, message: error.message } };
  }
};
const depthOf = (value) => {
  let depth = 0;
  for (let v = value; Array.isArray(v) && v.length > 0; v = v[0]) depth++;
  return depth;
};
const nested = (depth) => {
  let value = [];
  for (let i = 0; i < depth; i++) value = [value];
  return value;
};

api.ping();
const baseline = (await synchronizer.diagnostics()).worker.handles;
const bystander = api.slowEcho.aio("bystander", 300);
const report = {
  aio: await outcome(() => api.deep.aio(5_000)),
  blocking: await outcome(() => api.deep(5_000)),
  blockingMeanwhile: await outcome(() => api.ping()),
  callback: await outcome(() => api.deepCallback(5_000, () => "called")),
  callbackAio: await outcome(() => api.deepCallback.aio(5_000, () => "called")),
  bystander: await outcome(() => bystander),
  // Deep, but within what this thread can take: it arrives whole.
  returned: await outcome(async () => depthOf(api.deep(1_000))),
  sent: await outcome(() => api.depthOf(nested(1_000))),
  callbackArgument: await outcome(() => api.deepCallback(1_000, (value) => depthOf(value))),
  after: await outcome(() => api.ping()),
};
const diagnostics = await synchronizer.diagnostics();
report.pending = diagnostics.caller.pendingCalls;
report.handlesKept = diagnostics.worker.handles - baseline;
console.log(JSON.stringify(report));
await synchronizer.close();
