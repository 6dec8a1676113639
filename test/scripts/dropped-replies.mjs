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

// A generator whose start timed out (its reply names the iterator outside any marker).
const startTimedOut = (() => {
  try {
    api.slowStart.with({ timeout: 20 })(1_000).next();
    return "no timeout";
  } catch (error) {
    return error.name;
  }
})();

// 40 calls time out before their replies, each carrying an object and a generator; 10 more are
// cancelled by an AbortSignal, 10 fail late with an error carrying an object, 10 are futures
// cancelled. (On a very loaded machine a reply may still beat its timer: it is then delivered,
// dropped here, and released on garbage collection instead; the counts below hold either way.)
const late = [];
const settled = (promise) => promise.then(() => "delivered", (e) => e.name);
for (let i = 0; i < 40; i++) late.push(settled(api.slowObjects.with({ timeout: 20 }).aio(1_000)));
for (let i = 0; i < 10; i++) {
  const controller = new AbortController();
  late.push(settled(api.slowObjects.with({ signal: controller.signal }).aio(1_000)));
  controller.abort();
}
for (let i = 0; i < 10; i++) late.push(settled(api.slowError.with({ timeout: 20 }).aio(1_000)));
for (let i = 0; i < 10; i++) {
  const future = api.slowObjects.future(1_000);
  future.cancel();
  late.push(settled(future));
}
const outcomes = await Promise.all(late);
await sleep(1_500); // every late reply has arrived
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
  outcomes: [...new Set(outcomes)].sort(),
  dropped: outcomes.filter((outcome) => outcome !== "delivered").length,
  detached,
}));
await synchronizer.close();
