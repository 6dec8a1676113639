// A burst of blocking and async calls, then one idle second: prints the CPU time the whole process
// (caller, supervisor and worker threads) used during that second, in microseconds.
// With the argument "readahead", a read-ahead iteration is left waiting for an item that does not
// come (its producer waits) through the idle second.
import { Synchronizer } from "synchronicity-js";

const synchronizer = new Synchronizer({ closeTimeoutMs: 100 });
const api = synchronizer.wrapModule(new URL("../../build/fixtures/transport.js", import.meta.url));
let sum = 0;
for (let i = 0; i < 3000; i++) sum += api.add(i, 1);
const results = await Promise.all(Array.from({ length: 1000 }, (_, i) => api.add.aio(i, 1)));
if (sum !== 4501500 || results[999] !== 1000) throw new Error(`wrong results: ${sum}, ${results[999]}`);
let waiting;
if (process.argv[2] === "readahead") {
  const generators = synchronizer.wrapModule(new URL("../../build/fixtures/generators.js", import.meta.url));
  const items = generators.burstThenWait.with({ readAhead: 10 }).aio();
  const first = [];
  for (let i = 0; i < 3; i++) first.push((await items.next()).value);
  if (first.join() !== "1,2,3") throw new Error(`wrong items: ${first.join()}`);
  waiting = items.next(); // never settles: the generator waits forever
  waiting.catch(() => {});
}
// The polling windows last about a millisecond; give them time to close, then measure.
await new Promise((resolve) => setTimeout(resolve, 200));
const before = process.cpuUsage();
await new Promise((resolve) => setTimeout(resolve, 1000));
const used = process.cpuUsage(before);
console.log(JSON.stringify({ idleCpuUs: used.user + used.system }));
// The worker is still there and answers.
if (api.add(2, 2) !== 4) throw new Error("no answer after the idle second");
await synchronizer.close();
