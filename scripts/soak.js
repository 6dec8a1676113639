// Soak test (issue 6, part 6; not part of CI): 10 million calls, mostly .aio with bounded
// concurrency and some blocking, then 1 million objects created in the worker and dropped by the
// caller. Every result is checked, nothing may be lost (calls made == results received == calls
// the worker saw), and memory is reported every 10 seconds and summed up at the end: the process's
// RSS (all its threads: caller, supervisor, worker), the caller's heap, the worker's heap and
// handle table, measured after a full garbage collection on both sides.
//
//   npm run soak                                   # the full run (a few minutes)
//   npm run soak -- --calls 200000 --objects 20000 # shorter
//
// Options: --calls N, --objects N, --concurrency N (async calls in flight), --blocking-every N
// (one call in N is a blocking one), --report-seconds N. Exit code 0 when every check passed.
import { parseArgs } from "node:util";
import { spawnSync } from "node:child_process";
import { Synchronizer } from "synchronicity-js";

if (typeof globalThis.gc !== "function") {
  // Run again with --expose-gc (npm run soak passes it): memory is measured after full collections.
  const result = spawnSync(process.execPath, ["--expose-gc", ...process.execArgv, ...process.argv.slice(1)], { stdio: "inherit" });
  process.exit(result.status ?? 1);
}
const gc = globalThis.gc;

const { values } = parseArgs({
  options: {
    calls: { type: "string", default: "10000000" },
    objects: { type: "string", default: "1000000" },
    concurrency: { type: "string", default: "64" },
    "blocking-every": { type: "string", default: "20" },
    "report-seconds": { type: "string", default: "10" },
  },
});
const count = (name) => {
  const n = Number(values[name].replaceAll("_", ""));
  if (!Number.isSafeInteger(n) || n < 0) throw new TypeError(`--${name} must be a whole number, not ${values[name]}`);
  return n;
};
const totalCalls = count("calls");
const totalObjects = count("objects");
const concurrency = Math.max(1, count("concurrency"));
const blockingEvery = Math.max(1, count("blocking-every"));
const reportMs = Math.max(1, count("report-seconds")) * 1000;
/** No progress for this long: report and fail instead of hanging. */
const stallMs = 120_000;

// A default timeout for every call: a lost reply fails the call (and the run) instead of hanging.
const synchronizer = new Synchronizer({ timeout: 60_000 });
const api = synchronizer.wrapModule(new URL("../build/fixtures/soak.js", import.meta.url));

const fmt = (n) => n.toLocaleString("en-US");
const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const seconds = (ms) => `${(ms / 1000).toFixed(0)} s`;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const calls = { made: 0, blocking: 0, aio: 0, received: 0, wrong: 0, errors: 0 };
const objects = { made: 0, constructed: 0, returned: 0, received: 0, checkedByMethod: 0, wrong: 0, errors: 0 };
const problems = [];
const problem = (text) => {
  if (problems.length < 20) problems.push(text);
};
const describeError = (error) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

/**
 * Memory after full collections on both sides. Dropped proxies are released to the worker after
 * the caller's collection (FinalizationRegistry, batched per tick), so collect a few rounds.
 */
async function measure(rounds = 2) {
  for (let i = 0; i < rounds; i++) {
    gc();
    await sleep(10);
    await api.collect.aio();
  }
  gc();
  const diagnostics = await synchronizer.diagnostics();
  const stats = await api.stats.aio();
  const memory = process.memoryUsage();
  return {
    rss: memory.rss,
    heap: memory.heapUsed,
    workerHeap: diagnostics.worker?.heapUsed ?? NaN,
    workerHandles: diagnostics.worker?.handles ?? NaN,
    callerHandles: diagnostics.caller.handles,
    pendingCalls: diagnostics.caller.pendingCalls,
    itemsLive: stats.itemsLive,
    workerCalls: stats.calls,
    itemsCreated: stats.itemsCreated,
  };
}

const memoryLine = (m) =>
  `process rss ${mib(m.rss)} | caller heap ${mib(m.heap)} | worker heap ${mib(m.workerHeap)} handles ${fmt(m.workerHandles)} | caller handles ${fmt(m.callerHandles)} | items alive ${fmt(m.itemsLive)}`;

// --- warm-up and baseline ------------------------------------------------------------------

for (let i = 0; i < 2000; i++) {
  if (api.step(-1 - i) !== (-1 - i) * 3 + 1) throw new Error("warm-up call gave a wrong result");
  await api.step.aio(-1 - i);
}
for (let i = 0; i < 500; i++) {
  const { item } = await api.makeItem.aio(-1 - i);
  item.check();
}
const start = await measure(3);
const warmupCalls = start.workerCalls;
const warmupItems = start.itemsCreated;
console.log(`soak: ${fmt(totalCalls)} calls (one in ${blockingEvery} blocking, the rest .aio, ${concurrency} in flight), then ${fmt(totalObjects)} objects`);
console.log(`start (after warm-up, after GC): ${memoryLine(start)}`);

// --- progress reports ------------------------------------------------------------------------

const began = performance.now();
let phase = "calls";
const samples = [];
let lastProgress = { done: -1, at: performance.now() };
let reporting = false;
const reporter = setInterval(async () => {
  if (reporting) return;
  reporting = true;
  try {
    const done = calls.received + objects.received;
    if (done !== lastProgress.done) lastProgress = { done, at: performance.now() };
    else if (performance.now() - lastProgress.at > stallMs) {
      console.log(`STALLED: no call finished for ${seconds(stallMs)}; calls ${JSON.stringify(calls)} objects ${JSON.stringify(objects)}`);
      process.exit(1);
    }
    const m = await measure(1);
    const elapsed = performance.now() - began;
    samples.push({ at: elapsed, phase, ...m });
    console.log(
      `[${seconds(elapsed).padStart(5)}] ${`${phase} phase`.padEnd(13)} calls ${fmt(calls.received)}/${fmt(totalCalls)}, objects ${fmt(objects.received)}/${fmt(totalObjects)}, ${timeLeft()} | ${memoryLine(m)}`,
    );
  } catch (error) {
    console.log(`report failed: ${describeError(error)}`);
  } finally {
    reporting = false;
  }
}, reportMs);

/**
 * An estimate of the time left: the current phase at its rate so far, and the objects phase (if
 * still to come) at the rate of its previous run, or at the calls' rate until there is one.
 */
function timeLeft() {
  const now = performance.now();
  if (phase === "calls") {
    const rate = calls.received / Math.max(1, now - callsStartedAt); // per ms
    if (rate === 0) return "time left: estimating";
    const ms = (totalCalls - calls.received) / rate + totalObjects / rate;
    return `about ${seconds(ms)} left`;
  }
  const rate = objects.received / Math.max(1, now - objectsStartedAt);
  if (rate === 0) return "time left: estimating";
  return `about ${seconds((totalObjects - objects.received) / rate)} left`;
}
let callsStartedAt = performance.now();
let objectsStartedAt = performance.now();

/**
 * Lanes yield to the event loop now and then. Without it, replies to .aio calls that a blocking
 * call's receive loop reads settle their promises at once, the lanes' continuations (which make
 * more blocking calls) run as microtasks, and with dozens of lanes the thread never gets back to
 * its event loop: timers (these reports) and FinalizationRegistry callbacks (releases of dropped
 * proxies) would starve.
 */
const yieldEvery = 64;
const yieldToEventLoop = () => new Promise((resolve) => setImmediate(resolve));

// --- phase 1: calls ----------------------------------------------------------------------------

let nextCall = 0;
async function callLane() {
  for (let turn = 1; nextCall < totalCalls; turn++) {
    if (turn % yieldEvery === 0) await yieldToEventLoop();
    if (nextCall >= totalCalls) break;
    const i = nextCall++;
    const want = i * 3 + 1;
    calls.made++;
    let got;
    try {
      if (i % blockingEvery === 0) {
        calls.blocking++;
        got = api.step(i);
      } else {
        calls.aio++;
        got = await api.step.aio(i);
      }
    } catch (error) {
      calls.errors++;
      problem(`call ${i} threw ${describeError(error)}`);
      continue;
    }
    calls.received++;
    if (got !== want) {
      calls.wrong++;
      problem(`call ${i}: expected ${want}, got ${String(got)}`);
    }
  }
}
const callsStarted = performance.now();
callsStartedAt = callsStarted;
await Promise.all(Array.from({ length: concurrency }, callLane));
const callsMs = performance.now() - callsStarted;
const afterCalls = await measure(3);
console.log(`calls done in ${seconds(callsMs)} (${fmt(Math.round(totalCalls / (callsMs / 1000)))}/s); after GC: ${memoryLine(afterCalls)}`);

// --- phase 2: objects created in the worker and dropped ---------------------------------------

phase = "objects";
let nextObject = 0;
async function objectLane() {
  for (let turn = 1; nextObject < totalObjects; turn++) {
    if (turn % yieldEvery === 0) await yieldToEventLoop();
    if (nextObject >= totalObjects) break;
    const i = nextObject++;
    const want = i * 3 + 1;
    objects.made++;
    try {
      let ok;
      if (i % blockingEvery === 0) {
        // Constructed from the caller (blocking), checked with a blocking method call.
        objects.constructed++;
        const item = new api.Item(i);
        ok = item instanceof api.Item && item.check() === want;
        objects.checkedByMethod++;
      } else {
        // Returned by an .aio call, as a proxy next to a copy of its id; now and then a method call too.
        objects.returned++;
        const { id, item } = await api.makeItem.aio(i);
        ok = id === i && item instanceof api.Item;
        if (ok && i % 100 === 1) {
          ok = (await item.check.aio()) === want;
          objects.checkedByMethod++;
        }
      }
      objects.received++;
      if (!ok) {
        objects.wrong++;
        problem(`object ${i} came back wrong`);
      }
    } catch (error) {
      objects.errors++;
      problem(`object ${i} threw ${describeError(error)}`);
    }
  }
}
const objectsStarted = performance.now();
objectsStartedAt = objectsStarted;
await Promise.all(Array.from({ length: concurrency }, objectLane));
const objectsMs = performance.now() - objectsStarted;
clearInterval(reporter);
while (reporting) await sleep(10);

// --- the end: let every dropped proxy be released, then measure --------------------------------

let end = await measure(3);
for (let i = 0; i < 50 && (end.workerHandles > start.workerHandles || end.itemsLive > start.itemsLive || end.callerHandles > start.callerHandles); i++) {
  await sleep(100);
  end = await measure(2);
}
const totalMs = performance.now() - began;
await synchronizer.close();

// --- summary ------------------------------------------------------------------------------------

const workerCalls = end.workerCalls - warmupCalls;
const workerItems = end.itemsCreated - warmupItems;
const growth = (key) => end[key] - start[key];
const during = samples.filter((s) => Number.isFinite(s.workerHeap));
const range = (key) => (during.length === 0 ? "no samples" : `${mib(Math.min(...during.map((s) => s[key])))} .. ${mib(Math.max(...during.map((s) => s[key])))}`);
// "Flat": what the heaps hold after a full GC at the end is within a few MiB of the start.
const flatLimit = 8 * 2 ** 20;
const heapFlat = growth("heap") < flatLimit && growth("workerHeap") < flatLimit;
const checks = [
  ["every call answered", calls.received === calls.made && calls.made === totalCalls],
  ["every call result right", calls.wrong === 0 && calls.errors === 0],
  ["the worker saw every call exactly once", workerCalls === totalCalls],
  ["every object received and right", objects.received === objects.made && objects.made === totalObjects && objects.wrong === 0 && objects.errors === 0],
  ["the worker created every object exactly once", workerItems === totalObjects],
  ["no handles left (worker table, caller proxies)", end.workerHandles <= start.workerHandles && end.callerHandles <= start.callerHandles],
  ["every dropped object collected in the worker", end.itemsLive <= start.itemsLive],
  ["no requests pending", end.pendingCalls === 0],
  ["heap flat (caller and worker, after GC, growth < 8 MiB)", heapFlat],
];

console.log("");
console.log("=== soak summary ===");
console.log(`duration          ${seconds(totalMs)} (calls ${seconds(callsMs)}, objects ${seconds(objectsMs)})`);
console.log(
  `calls             ${fmt(calls.received)} of ${fmt(totalCalls)} done: ${fmt(calls.blocking)} blocking, ${fmt(calls.aio)} .aio (${concurrency} in flight); ${fmt(calls.wrong)} wrong, ${fmt(calls.errors)} errors; worker saw ${fmt(workerCalls)}`,
);
console.log(
  `objects           ${fmt(objects.received)} of ${fmt(totalObjects)} created and dropped: ${fmt(objects.constructed)} with new (blocking), ${fmt(objects.returned)} returned by .aio; ${fmt(objects.checkedByMethod)} checked by a method call; ${fmt(objects.wrong)} wrong, ${fmt(objects.errors)} errors; worker created ${fmt(workerItems)}`,
);
console.log(`handles left      worker table ${fmt(end.workerHandles)} (start ${fmt(start.workerHandles)}), caller proxies ${fmt(end.callerHandles)} (start ${fmt(start.callerHandles)}), items alive in the worker ${fmt(end.itemsLive)} (start ${fmt(start.itemsLive)})`);
console.log("memory (after GC) start       end         growth      range during the run");
for (const [label, key] of [
  ["process rss      ", "rss"],
  ["caller heap      ", "heap"],
  ["worker heap      ", "workerHeap"],
]) {
  console.log(`${label} ${mib(start[key]).padEnd(11)} ${mib(end[key]).padEnd(11)} ${(growth(key) >= 0 ? "+" : "") + mib(growth(key))}`.padEnd(60) + `  ${range(key)}`);
}
for (const [label, ok] of checks) console.log(`${ok ? "ok  " : "FAIL"} ${label}`);
if (problems.length > 0) {
  console.log("first problems:");
  for (const text of problems) console.log(`  ${text}`);
}
const passed = checks.every(([, ok]) => ok);
console.log(passed ? "soak: PASSED" : "soak: FAILED");
process.exit(passed ? 0 : 1);
