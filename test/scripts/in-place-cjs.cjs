// A CommonJS script that wraps in place with `module` and with `__filename`, then uses both.
const { Synchronizer } = require("synchronicity-js");
const { threadId } = require("node:worker_threads");

const synchronizer = new Synchronizer();

const square = synchronizer.wrap(module, async function square(x) {
  return { square: x * x, threadId };
});

const Counter = synchronizer.wrap(
  __filename,
  class Counter {
    count = 0;
    async add(n) {
      this.count += n;
      return this.count;
    }
  },
);

console.log(JSON.stringify({ isWorker: synchronizer.isWorker, isMain: require.main === module }));
if (!synchronizer.isWorker) {
  const counter = new Counter();
  counter.add(2);
  console.log(JSON.stringify({ square: square(7), total: counter.add(3), instance: counter instanceof Counter }));
}
