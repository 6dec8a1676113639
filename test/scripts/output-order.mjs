// The worker prints while the caller is blocked; every line must appear, in order.
// Modes: (none) lines 20 ms apart; "exit-now" exits right after the last call; "slow" prints the
// lines 250 ms apart, so that a test can see them arrive one by one while the caller still blocks.
import { Synchronizer } from "synchronicity-js";

const synchronizer = new Synchronizer();
const api = synchronizer.wrapModule(new URL("../../build/fixtures/output.js", import.meta.url));
console.log("caller before");
const result = api.chatty(5, process.argv[2] === "slow" ? 250 : 20);
console.log(`caller after: ${result}`);
api.shout("worker last words");
if (process.argv[2] === "exit-now") process.exit(0);
console.log("caller end");
