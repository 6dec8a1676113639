// examples/migration/after.mjs: synchronicity-js, for either of the two above.
import { Synchronizer } from "synchronicity-js";

const synchronizer = new Synchronizer();
const digest = synchronizer.wrapModule(new URL("./digest.mjs", import.meta.url));

console.log(digest.checkedSha256("hello"));
try {
  digest.checkedSha256(42);
} catch (error) {
  console.log(error instanceof TypeError, error.message);
}
// The same function, without blocking:
console.log(await digest.checkedSha256.aio("hello"));
