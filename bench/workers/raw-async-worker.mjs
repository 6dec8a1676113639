// The raw async baseline, worker side: requests and replies as plain messages on the worker's
// own port, matched by id.
import { parentPort } from "node:worker_threads";
import * as impl from "../impl/add.mjs";

parentPort.on("message", async ({ id, fn, args }) => {
  parentPort.postMessage({ id, value: await impl[fn](...args) });
});
