// Makes one call of each form, one failing call and one method call, for the NODE_DEBUG tests.
import { Synchronizer } from "synchronicity-js";

const synchronizer = new Synchronizer();
const basic = synchronizer.wrapModule(new URL("../../build/fixtures/basic.js", import.meta.url));
const errors = synchronizer.wrapModule(new URL("../../build/fixtures/errors.js", import.meta.url));
basic.square(2, 1);
await basic.square.aio(3, 1);
basic.square.future(4, 1).result();
try {
  errors.throwTypeError();
} catch {
  // expected: its outcome is what the trace shows
}
console.log("done");
