// Worker faults, each in a process of its own (the test gives it a deadline: a hang fails).
// Prints one JSON report line; its fields are what the test checks.
import { Synchronizer } from "synchronicity-js";

const url = new URL("../../build/fixtures/faults.js", import.meta.url);
const scenario = process.argv[2];
const describe = (error) => ({ name: error?.name, message: error?.message, exitCode: error?.exitCode, cause: error?.cause?.message, causeName: error?.cause?.name });
const attempt = async (fn) => {
  try {
    return { ok: await fn() };
  } catch (error) {
    return { error: describe(error) };
  }
};
const timed = async (fn) => {
  const started = performance.now();
  const result = await attempt(fn);
  return { ...result, ms: Math.round(performance.now() - started) };
};
/** What `promise` (of an attempt) settled with, and how long after `start` that was at the latest. */
const since = (start, promise) => promise.then((result) => ({ ...result, ms: Math.round(performance.now() - start) }));
const report = {};

if (scenario === "exit" || scenario === "uncaught" || scenario === "unhandled" || scenario === "oom") {
  const synchronizer = new Synchronizer(scenario === "oom" ? { resourceLimits: { maxOldGenerationSizeMb: 48 } } : {});
  const api = synchronizer.wrapModule(url);
  const held = new api.Counter();
  held.bump();
  // Calls of every form in flight when the worker dies.
  const aio = attempt(() => api.slow.aio(10_000));
  const future = api.slow.future(10_000);
  const generator = api.endless();
  generator.next();
  const iterating = attempt(() => api.endless.aio(10_000).next());
  await new Promise((resolve) => setTimeout(resolve, 50)); // async steps are sent from a microtask
  const kill = {
    exit: () => api.exitWorker(3),
    uncaught: () => api.throwUncaught("boom"),
    unhandled: () => api.rejectUnhandled("nobody caught me"),
    oom: () => api.exhaustMemory(),
  }[scenario];
  const killedAt = performance.now();
  report.blocking = await timed(kill);
  // The other forms, timed from the same moment: each must have failed at once too.
  report.aio = await since(killedAt, aio);
  report.future = await since(killedAt, attempt(() => future.result()));
  report.iterating = await since(killedAt, iterating);
  report.generator = await attempt(() => generator.next());
  // The next call starts a fresh worker; objects of the dead one are lost.
  report.after = await attempt(() => api.ping());
  report.held = await attempt(() => held.bump());
  report.fresh = await attempt(() => new api.Counter().bump());
  await synchronizer.close();
} else if (scenario === "restart-off") {
  const synchronizer = new Synchronizer({ restart: false });
  const api = synchronizer.wrapModule(url);
  report.blocking = await timed(() => api.exitWorker(4));
  report.after = await attempt(() => api.ping());
  report.afterAio = await attempt(() => api.ping.aio());
} else if (scenario === "stuck") {
  const synchronizer = new Synchronizer({ terminateOnTimeout: true });
  const api = synchronizer.wrapModule(url);
  const other = attempt(() => api.slow.aio(10_000));
  report.blocking = await timed(() => api.spinForever.with({ timeout: 300 })());
  report.other = await other;
  report.after = await attempt(() => api.ping());
  // Stuck again, without terminating: the process must still be able to exit (after waiting
  // shutdownTimeout for a shutdown the stuck worker never answers).
  const plain = new Synchronizer({ shutdownTimeout: 500 });
  const stuck = plain.wrapModule(url);
  report.plain = await timed(() => stuck.spinForever.with({ timeout: 200 })());
} else if (scenario === "shutdown") {
  // At normal exit, held objects are disposed and open generators closed, in the worker.
  const synchronizer = new Synchronizer();
  const api = synchronizer.wrapModule(url);
  globalThis.keep = [new api.Resource("first"), new api.Resource("second"), api.guarded("g")];
  globalThis.keep[2].next();
  console.log("script ends");
  // No close(): the end of the script runs the cleanup.
} else if (scenario === "exit-in-flight") {
  // process.exit() while an .aio call runs: the call's task is aborted and its cleanup runs.
  const synchronizer = new Synchronizer();
  const api = synchronizer.wrapModule(url);
  void api.observant.aio("in-flight", 10_000).catch(() => {});
  await new Promise((resolve) => setTimeout(resolve, 50));
  console.log("exiting");
  process.exit(0);
} else if (scenario === "close") {
  // close() rejects calls in flight, cleans up, and no work of the worker goes on afterwards.
  const synchronizer = new Synchronizer({ shutdownTimeout: 300 });
  const api = synchronizer.wrapModule(url);
  const resource = new api.Resource("held");
  const inFlight = attempt(() => api.observant.aio("in-flight", 10_000));
  // Ignores its AbortSignal: only terminating the worker stops it.
  const orphan = attempt(() => api.printLater.aio("ORPHAN OUTPUT", 1_000));
  await new Promise((resolve) => setTimeout(resolve, 50));
  await synchronizer.close();
  report.inFlight = await inFlight;
  report.orphan = await orphan;
  report.afterClose = await attempt(() => api.ping());
  report.resource = await attempt(() => resource.name);
  await new Promise((resolve) => setTimeout(resolve, 1_500));
}
if (Object.keys(report).length > 0) console.log(JSON.stringify(report));
