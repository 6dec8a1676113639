// Late replies release what they carry (issue 9 item 8), and a detached method keeps its object
// alive (item 9). Needs --expose-gc in both threads; prints one JSON report.
import { Synchronizer } from "synchronicity-js";

if (typeof globalThis.gc !== "function") {
  const { spawnSync } = await import("node:child_process");
  const result = spawnSync(process.execPath, ["--expose-gc", ...process.argv.slice(1)], { stdio: "inherit" });
  process.exit(result.status ?? 1);
}

const synchronizer = new Synchronizer({ execArgv: ["--expose-gc"] });
const api = synchronizer.wrapModule(new URL("../../build/fixtures/hardening.js", import.meta.url));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const workerHandles = async () => (await synchronizer.diagnostics()).worker.handles;
const settle = async () => {
  for (let i = 0; i < 5; i++) {
    globalThis.gc();
    api.collectGarbage();
    await sleep(20);
  }
};

api.ping();
const before = await workerHandles();

// 40 calls time out before their replies, each carrying an object and a generator; 10 more are
// cancelled by an AbortSignal, 10 fail late with an error carrying an object, 10 are futures cancelled.
const late = [];
for (let i = 0; i < 40; i++) late.push(api.slowObjects.with({ timeout: 20 }).aio(200).catch((e) => e.name));
for (let i = 0; i < 10; i++) {
  const controller = new AbortController();
  late.push(api.slowObjects.with({ signal: controller.signal }).aio(200).catch((e) => e.name));
  controller.abort();
}
for (let i = 0; i < 10; i++) late.push(api.slowError.with({ timeout: 20 }).aio(200).catch((e) => e.name));
for (let i = 0; i < 10; i++) {
  const future = api.slowObjects.future(200);
  future.cancel();
  late.push(future.then(() => "resolved", (e) => e.name));
}
// A generator whose start timed out (its reply names the iterator outside any marker).
const startTimedOut = (() => {
  try {
    api.slowStart.with({ timeout: 20 })(200).next();
    return "no timeout";
  } catch (error) {
    return error.name;
  }
})();
const outcomes = await Promise.all(late);
await sleep(600); // every late reply has arrived
await settle();
const after = await workerHandles();

// Item 9: a detached method form keeps its object.
const get = api.makeBox(5).get;
const aio = api.makeBox(6).get.aio;
await settle();
const detached = [get(), await aio()];

console.log(JSON.stringify({
  before,
  after,
  closed: api.closedSoFar(),
  startTimedOut,
  failures: [...new Set(outcomes)].sort(),
  detached,
}));
await synchronizer.close();
