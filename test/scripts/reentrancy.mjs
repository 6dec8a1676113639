// Blocking re-entrancy (issue 9 item 4): callbacks that make blocking calls, nested `depth` levels.
// Prints one JSON report.
import { Synchronizer } from "synchronicity-js";

const synchronizer = new Synchronizer();
const api = synchronizer.wrapModule(new URL("../../build/fixtures/callbacks.js", import.meta.url));

function blocking(depth) {
  let reached = 0;
  try {
    const value = api.outer(depth, function level(remaining) {
      reached = depth - remaining;
      return remaining === 0 ? api.double(21) : api.outer(remaining - 1, level);
    });
    return { ok: value, reached };
  } catch (error) {
    return { error: { name: error.name, message: error.message }, reached };
  }
}

const asyncLevels = async (depth) => {
  const level = async (remaining) => (remaining === 0 ? api.double.aio(5) : api.outer.aio(remaining - 1, level));
  return api.outer.aio(depth, level);
};

const report = {
  shallow: blocking(200),
  deep: blocking(Number(process.argv[2] ?? 1_000)),
  after: api.double(2),
  asyncDeep: await asyncLevels(1_000),
  pending: (await synchronizer.diagnostics()).caller.pendingCalls,
};
console.log(JSON.stringify(report));
await synchronizer.close();
