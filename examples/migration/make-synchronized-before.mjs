// examples/migration/make-synchronized-before.mjs
import makeSynchronized from "make-synchronized";

const digest = makeSynchronized(new URL("./digest.mjs", import.meta.url));

console.log(digest.checkedSha256("hello"));
try {
  digest.checkedSha256(42);
} catch (error) {
  console.log(error instanceof TypeError, error.message);
}
