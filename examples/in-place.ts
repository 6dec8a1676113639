// One file: the async implementation, its wrapped forms, and a script using them.
import { Synchronizer } from "synchronicity-js";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
export const synchronizer = new Synchronizer();

export const f = synchronizer.wrap(import.meta, async function f(x: number) {
  await sleep(100);
  return x ** 2;
});

export const DBConnection = synchronizer.wrap(
  import.meta,
  class DBConnection {
    rows: string[] = [];
    constructor(readonly url: string) {}
    async insert(row: string) {
      await sleep(10);
      return this.rows.push(row);
    }
    async *query() {
      yield* this.rows;
    }
  },
);

// The worker imports this file too (that is how it finds f and DBConnection):
// the script's own work runs only in the caller.
if (!synchronizer.isWorker) {
  console.log("f(42) =", f(42)); // blocks
  console.log("f.aio(7) =", await f.aio(7)); // async
  const db = new DBConnection("memory://"); // the object lives in the worker
  db.insert("a");
  db.insert("b");
  console.log("rows:", [...db.query()].join(", "));
}
