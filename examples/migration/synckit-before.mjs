// examples/migration/synckit-before.mjs
import { fileURLToPath } from "node:url";
import { createSyncFn } from "synckit";

const sha256 = createSyncFn(fileURLToPath(new URL("./synckit-worker.mjs", import.meta.url)));

console.log(sha256("hello"));
try {
  sha256(42);
} catch (error) {
  console.log(error instanceof TypeError, error.message);
}
