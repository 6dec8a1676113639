// The worker thread holds two libraries when the implementation imports "synchronicity-js": the
// worker's own (the loop) and the caller's. An error class is one class there, whichever made it.
import { ClosedError, Synchronizer, TimeoutError } from "synchronicity-js";

const synchronizer = new Synchronizer();
const api = synchronizer.wrapModule(new URL("./worker-errors.impl.mjs", import.meta.url));
let thrown;
try {
  api.throwTimeout();
} catch (error) {
  thrown = error;
}
const fromCallback = api.classifyCallbackError(() => {
  throw new ClosedError("made by the caller");
});
console.log(
  JSON.stringify({
    madeInWorkerIsLibraryClass: thrown instanceof TimeoutError && thrown.code === "ERR_SYNCHRONICITY_TIMEOUT" && thrown.message === "made by the implementation",
    callbackErrorClassInWorker: fromCallback,
  }),
);
