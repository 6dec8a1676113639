// One process loading both forms of the library gets one copy of it: the same classes (so
// instanceof holds across them) and the same process-wide state.
import { createRequire } from "node:module";
import * as esm from "synchronicity-js";
import * as esmWorker from "synchronicity-js/worker";

const require = createRequire(import.meta.url);
const cjs = require("synchronicity-js");
const cjsWorker = require("synchronicity-js/worker");

const exitListenersBefore = process.listenerCount("exit");
// The import form is the CommonJS module itself, seen as an ES module: its exports by name, plus
// `default`, the CommonJS exports object (which Deno also lists as "module.exports").
const names = (cjsForm) => Object.keys(cjsForm).filter((name) => name !== "__esModule");
const same = (esmForm, cjsForm) =>
  names(cjsForm).length > 0 &&
  names(cjsForm).every((name) => esmForm[name] === cjsForm[name]) &&
  Object.keys(esmForm).every((name) => name === "default" || name === "module.exports" || esmForm[name] === cjsForm[name]);
// An error made by a synchronizer from the require() form is an instance of the import form's class.
const synchronizer = new cjs.Synchronizer();
let crossInstanceof = false;
try {
  synchronizer.wrapModule(new URL("./impl.mjs", import.meta.url)).square.with({ timeout: 50 })(2, 5000);
} catch (error) {
  crossInstanceof = error instanceof esm.TimeoutError && error instanceof cjs.TimeoutError;
}
// Both forms' synchronizers share the process hooks: one exit listener for all (two copies: two).
new esm.Synchronizer().wrapModule(new URL("./impl.mjs", import.meta.url)).square(3);
console.log(
  JSON.stringify({
    sameIndex: same(esm, cjs),
    sameWorker: same(esmWorker, cjsWorker),
    crossInstanceof,
    addedExitListeners: process.listenerCount("exit") - exitListenersBefore,
  }),
);
