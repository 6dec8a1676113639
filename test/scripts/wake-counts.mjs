// Blocking calls, then a read-ahead iteration and a lockstep one, each followed by the worker's
// transport counters for that part (synchronizer.diagnostics().worker.transport): how many requests
// found the worker's event loop asleep and woke it with a message. Prints them as JSON.
import { Synchronizer } from "synchronicity-js";

const synchronizer = new Synchronizer();
const api = synchronizer.wrapModule(new URL("../../build/fixtures/transport.js", import.meta.url));
const generators = synchronizer.wrapModule(new URL("../../build/fixtures/generators.js", import.meta.url));
api.add(0, 0);
const counters = async () => (await synchronizer.diagnostics()).worker.transport;
const since = (before, after) => ({ wakeMessages: after.wakeMessages - before.wakeMessages });

const parts = {};
let before = await counters();
let sum = 0;
for (let i = 0; i < 300; i++) sum += api.add(i, 1);
if (sum !== 45150) throw new Error(`wrong sum ${sum}`);
let after = await counters();
parts.calls = since(before, after);

before = after;
let items = 0;
for (const n of generators.numbers.with({ readAhead: 64 })(2000)) items += n;
if (items !== 1999000) throw new Error(`wrong read-ahead items ${items}`);
after = await counters();
parts.readAhead = since(before, after);

before = after;
items = 0;
for (const n of generators.numbers.with({ readAhead: 0 })(300)) items += n;
if (items !== 44850) throw new Error(`wrong lockstep items ${items}`);
after = await counters();
parts.lockstep = since(before, after);

console.log(JSON.stringify({ kind: after.kind, ...parts }));
await synchronizer.close();
