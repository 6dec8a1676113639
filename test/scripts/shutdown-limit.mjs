// An .aio call is in flight when the script calls process.exit(): its cleanup (50 ms) must run
// within the shutdownTimeout given as argv[2] ("Infinity" is no limit).
import { Synchronizer } from "synchronicity-js";

const synchronizer = new Synchronizer({ shutdownTimeout: Number(process.argv[2]) });
const api = synchronizer.wrapModule(new URL("../../build/fixtures/interruptible.js", import.meta.url));
api.longTask.aio("task").catch(() => {});
setTimeout(() => process.exit(0), 300);
