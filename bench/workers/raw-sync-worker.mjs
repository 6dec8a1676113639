// The raw blocking baseline, worker side: the minimal technique the blocking libraries share.
// Requests arrive as port messages; each reply is posted back on the port, then a shared counter
// is bumped and notified so that a caller sleeping in Atomics.wait wakes up and reads the reply
// with receiveMessageOnPort.
import { workerData } from "node:worker_threads";
import * as impl from "../impl/add.mjs";

const { port, shared } = workerData;
const counter = new Int32Array(shared);

// One call at a time, or several in order: replies need no id, so a reply is just the value.
port.on("message", async ([fn, args]) => {
  port.postMessage(await impl[fn](...args));
  Atomics.add(counter, 0, 1);
  Atomics.notify(counter, 0);
});
