// Prints, as JSON, what the stack of an error thrown in the worker shows: the implementation's
// frame, this script's frame, and whether any of this library's frames (dist/) are left in.
// The test runs it with and without SYNCHRONICITY_DEBUG=1.
import { Synchronizer } from "synchronicity-js";

const synchronizer = new Synchronizer();
const api = synchronizer.wrapModule(new URL("../../build/fixtures/errors.js", import.meta.url));
try {
  api.throwTypeError();
} catch (error) {
  console.log(
    JSON.stringify({
      implementation: error.stack.includes("fixtures/errors.js"),
      caller: error.stack.includes("debug-stack.mjs"),
      // dist/cjs/lib.js or core.js (the caller's bundles), or dist/<format>/caller/... file for file
      library: /[\\/]dist[\\/](?:[\w-]+[\\/])?(?:(?:caller|worker|protocol)[\\/]|(?:lib|core)\.js)/.test(error.stack),
    }),
  );
}
