// examples/library/demo.ts: `tsx examples/library/demo.ts`
import { define, defineSlowly, defineSync, UnknownTermError } from "./index.js";

console.log("sync:", defineSync("worker"));
console.log("async:", await define("handle"));

try {
  defineSync("promise");
} catch (error) {
  if (error instanceof UnknownTermError) console.log(`${error.name}: ${error.message} (term: ${error.term})`);
}

const controller = new AbortController();
setTimeout(() => controller.abort(new Error("the user gave up")), 50);
try {
  await defineSlowly.with({ signal: controller.signal }).aio("worker", 60_000);
} catch (error) {
  console.log("cancelled:", (error as Error).message);
}

try {
  defineSlowly.with({ timeout: 50 })("worker", 60_000);
} catch (error) {
  console.log(`${(error as Error).name}: ${(error as Error).message}`);
}
