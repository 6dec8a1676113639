// Receives SIGINT from the test while a call runs. Modes:
//   blocking          no SIGINT listener: the task's cleanup runs, then the process ends with 130
//   blocking-handler  the user listens: the call throws InterruptedError, then the listener runs
//   aio-handler       an .aio call is in flight, the user's listener exits: the cleanup still runs
//   blocking-first    as blocking, but the long call is the synchronizer's first use: nothing
//                     (no diagnostics()) has started the supervisor that watches Ctrl-C before it
import { Synchronizer } from "synchronicity-js";

const mode = process.argv[2];
const synchronizer = new Synchronizer();
const api = synchronizer.wrapModule(new URL("../../build/fixtures/interruptible.js", import.meta.url));
if (mode === "blocking-first") {
  console.log("caller calls");
  api.longTask("task");
  console.log("caller after the call (must not appear)");
  process.exit(0);
}
void api.longTask; // load the module before the interesting part
console.log(`signals: ${(await synchronizer.diagnostics()).signals}`);

if (mode === "blocking") {
  console.log("caller calls");
  api.longTask("task");
  console.log("caller after the call (must not appear)");
} else if (mode === "blocking-handler") {
  process.on("SIGINT", () => {
    console.log("user handler ran");
    process.exit(7);
  });
  console.log("caller calls");
  try {
    api.longTask("task");
  } catch (error) {
    console.log(`caller caught ${error.name} (${error.code})`);
  }
} else if (mode === "aio-handler") {
  process.on("SIGINT", () => {
    console.log("user handler ran");
    process.exit(3);
  });
  console.log("caller calls");
  await api.longTask.aio("task");
}
