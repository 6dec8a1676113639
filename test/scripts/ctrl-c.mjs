// The Ctrl-C and exit cases of issue 17 (items 1-4). argv[2] is the mode, argv[3] the
// shutdownTimeout. The test sends SIGINT when a line ending in "started" or "running" appears.
import { Synchronizer } from "synchronicity-js";

const [mode, shutdownTimeout = "3000"] = process.argv.slice(2);
const synchronizer = new Synchronizer({ shutdownTimeout: Number(shutdownTimeout) });
const api = synchronizer.wrapModule(new URL("../../build/fixtures/ctrl-c.js", import.meta.url));
const interruptible = synchronizer.wrapModule(new URL("../../build/fixtures/interruptible.js", import.meta.url));
void api.stubborn;
void interruptible.longTask;
// Ctrl-C reaches a blocked caller once the worker's supervisor runs; diagnostics() waits for it.
await synchronizer.diagnostics();

if (mode === "runaway-callback") {
  // Item 1: the caller's own code never returns; Ctrl-C must still end the process.
  api.withCallback(() => {
    console.log("callback running");
    for (;;);
  });
} else if (mode === "reentrant") {
  // Item 2: a callback calls the API again (blocking); Ctrl-C arrives in the inner call.
  api.withCallback(() => interruptible.longTask("inner task"));
} else if (mode === "reentrant-nested") {
  // Item 2, with a second synchronizer for the inner call.
  const other = new Synchronizer({ shutdownTimeout: Number(shutdownTimeout) });
  const inner = other.wrapModule(new URL("../../build/fixtures/interruptible.js", import.meta.url));
  void inner.longTask;
  await other.diagnostics();
  api.withCallback(() => inner.longTask("inner task"));
} else if (mode === "exit-in-callback") {
  // Item 3: process.exit() inside a callback, during the blocking call that invoked it.
  api.withCallback(() => {
    console.log("callback exits");
    process.exit(5);
  });
} else if (mode === "stubborn") {
  // Item 4: the task ignores its signal.
  api.stubborn("task");
} else if (mode === "stubborn-generator") {
  for (const tick of api.stubbornTicks()) console.log(`tick ${tick}`);
} else if (mode === "stubborn-aio-handler") {
  process.on("SIGINT", () => {
    console.log("user handler ran");
    process.exit(3);
  });
  await api.stubborn.aio("task");
}
console.log("after the call (must not appear)");
