// Ctrl-C twice during a blocking call whose task has a slow cleanup (10 s): the first Ctrl-C
// starts the cleanup, the second must cut it short. The cleanup gets up to shutdownTimeout (30 s
// here), so only the second Ctrl-C can make the process end soon. No SIGINT listener of our own.
import { Synchronizer } from "synchronicity-js";

const synchronizer = new Synchronizer({ shutdownTimeout: 30_000 });
const api = synchronizer.wrapModule(new URL("../../build/fixtures/interruptible.js", import.meta.url));
void api.slowCleanupTask; // load the module before the interesting part
console.log(`signals: ${(await synchronizer.diagnostics()).signals}`);
console.log("caller calls");
api.slowCleanupTask("task", 10_000);
console.log("caller after the call (must not appear)");
