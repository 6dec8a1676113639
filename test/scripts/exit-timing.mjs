// How long the process takes to exit while an .aio call is in flight whose task ignores its
// AbortSignal: the exit waits for the worker's shutdown at most shutdownTimeout (argv[2], or the
// default when absent). Prints the wall-clock time of process.exit(), for the test to compare
// with the moment the process was gone.
import { Synchronizer } from "synchronicity-js";

const shutdownTimeout = process.argv[2] === undefined ? undefined : Number(process.argv[2]);
const synchronizer = new Synchronizer(shutdownTimeout === undefined ? {} : { shutdownTimeout });
const api = synchronizer.wrapModule(new URL("../../build/fixtures/basic.js", import.meta.url));
void api.square.aio(2, 60_000).catch(() => {});
await api.add.aio(1, 1); // the slow call has reached the worker
console.log(`exiting at ${Date.now()}`);
process.exit(0);
