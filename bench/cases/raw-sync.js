// The raw blocking baseline: a hand-written worker, a shared counter, Atomics.wait and
// receiveMessageOnPort, and nothing else (no encoding, no error handling, no supervision).
// It is the floor for what the blocking libraries do with this technique.
import { BATCH, checksum, expectEqual, measure, measureStartup, runCase, syncScenarios } from "../lib/harness.js";

const WORKER = new URL("../workers/raw-sync-worker.mjs", import.meta.url);

function start({ Worker, MessageChannel, receiveMessageOnPort }) {
  const shared = new SharedArrayBuffer(4);
  const counter = new Int32Array(shared);
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(WORKER, { workerData: { port: port2, shared }, transferList: [port2] });
  // Replies come back in request order (the worker's functions here never wait on anything).
  const send = (fn, args) => port1.postMessage([fn, args]);
  // Read the next reply, sleeping while there is none. The counter is read before polling: a reply
  // posted after the poll has bumped it, so Atomics.wait returns at once instead of missing it.
  const receive = () => {
    for (;;) {
      const seen = Atomics.load(counter, 0);
      const reply = receiveMessageOnPort(port1);
      if (reply !== undefined) return reply.message;
      Atomics.wait(counter, 0, seen);
    }
  };
  const call = (fn, ...args) => {
    send(fn, args);
    return receive();
  };
  return { call, send, receive, close: () => worker.terminate() };
}

const load = () => import("node:worker_threads");

async function open() {
  const raw = start(await load());
  expectEqual(raw.call("add", 1, 2), 3, "add(1, 2)");
  return raw;
}

runCase({
  ...syncScenarios(async (name) => {
    const raw = await open();
    return { call: (...args) => raw.call(name, ...args), close: raw.close };
  }),

  // The futures technique without a library: post BATCH requests, then block for each reply.
  async futures(cfg) {
    const raw = await open();
    const batch = () => {
      for (let i = 0; i < BATCH; i++) raw.send("add", [i, 1]);
      const values = [];
      for (let i = 0; i < BATCH; i++) values.push(raw.receive());
      return checksum(values);
    };
    expectEqual(batch(), (BATCH * (BATCH + 1)) / 2, "sum of a batch");
    const result = await measure((n) => {
      for (let i = 0; i < n; i++) batch();
    }, cfg, BATCH);
    return { ...result, close: raw.close };
  },

  async startup() {
    return measureStartup(load, (lib) => start(lib).call("add", 1, 2));
  },
});
