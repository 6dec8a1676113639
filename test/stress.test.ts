// Stress (issue 6, part 6): blocking calls, .aio calls, futures, generators (lockstep, read-ahead,
// closed early) and callbacks (re-entrant, blocking and async inside), all at once, from the main
// thread and from four other caller threads, each with its own Synchronizer over the same module.
// Every call carries a unique token and must get exactly its own answer; per thread, what was made,
// what came back and what the worker saw must be equal. No timing is asserted: a hard deadline
// (and a default timeout on every call) only turns a hang into a failure.
import { Worker } from "node:worker_threads";
import { afterAll, expect, it } from "vitest";
import { Synchronizer } from "synchronicity-js";
import { fixture, script } from "./helpers.js";

type Caller = typeof import("./fixtures/stress-caller.js");
type Tallies = import("./fixtures/stress-caller.js").Tallies;
type WorkloadOptions = import("./fixtures/stress-caller.js").WorkloadOptions;
type Stats = import("./fixtures/stress.js").Stats;

const { runWorkload } = (await import(fixture("stress-caller").href)) as Caller;

const callerThreads = 4;
const deadlineMs = 50_000;
const callTimeoutMs = 20_000;
const workload = (label: string): WorkloadOptions => ({ label, lanes: 8, opsPerLane: 3000, blockingOps: 6000, resultTimeoutMs: callTimeoutMs });

interface Report {
  tallies: Tallies;
  stats: Stats;
  pendingCalls: number;
}

const synchronizer = new Synchronizer({ timeout: callTimeoutMs });
const api = synchronizer.wrapModule<typeof import("./fixtures/stress.js")>(fixture("stress"));
const threads: Worker[] = [];
afterAll(async () => {
  await Promise.all(threads.map((thread) => thread.terminate()));
  await synchronizer.close();
});

function startCallerThread(label: string): Promise<Report> {
  const thread = new Worker(script("stress-thread.mjs"), { workerData: { options: workload(label), callTimeoutMs } });
  threads.push(thread);
  return new Promise<Report>((resolve, reject) => {
    thread.once("message", (message: ({ ok: true } & Report) | { ok: false; label: string; error: string }) => {
      if (message.ok) resolve(message);
      else reject(new Error(`caller thread ${message.label} failed: ${message.error}`));
    });
    thread.once("error", (error) => reject(new Error(`caller thread ${label} crashed`, { cause: error })));
    thread.once("exit", (code) => reject(new Error(`caller thread ${label} exited (code ${code}) without reporting`)));
  });
}

async function mainThread(): Promise<Report> {
  const tallies = await runWorkload(api, workload("main"));
  const stats = api.stats();
  const pendingCalls = (await synchronizer.diagnostics()).caller.pendingCalls;
  return { tallies, stats, pendingCalls };
}

function withDeadline<T>(work: Promise<T>, ms: number, progress: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the stress run did not finish within ${ms} ms (${progress()})`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

it("answers every call of 5 concurrent caller threads exactly once, with its own result", { timeout: deadlineMs + 10_000 }, async () => {
  const done = new Set<string>();
  const track = (label: string, report: Promise<Report>) => report.then((r) => (done.add(label), r));
  const labels = ["main", ...Array.from({ length: callerThreads }, (_, i) => `thread${i + 1}`)];
  // The caller threads start first, so that they run while the main thread works (and blocks).
  const others = labels.slice(1).map((label) => track(label, startCallerThread(label)));
  const reports = await withDeadline(Promise.all([track("main", mainThread()), ...others]), deadlineMs, () => {
    void Promise.all(threads.map((thread) => thread.terminate()));
    return `finished: ${[...done].join(", ") || "none"}; still running: ${labels.filter((l) => !done.has(l)).join(", ")}`;
  });

  for (const { tallies, stats, pendingCalls } of reports) {
    const who = tallies.label;
    expect(tallies.problems, `${who}: problems`).toEqual([]);
    expect(tallies.problemCount, `${who}: problem count`).toBe(0);
    expect(tallies.outstanding, `${who}: calls never answered`).toBe(0);
    expect(pendingCalls, `${who}: requests still pending`).toBe(0);
    // Calls (re-entrant ones from callbacks included): made == answered == seen by the worker.
    expect(tallies.calls.received, `${who}: calls answered`).toBe(tallies.calls.made);
    expect(stats.calls, `${who}: calls the worker saw`).toBe(tallies.calls.made);
    expect(stats.duplicates, `${who}: requests the worker saw twice`).toBe(0);
    // Generators: each started once, each closed (finished or returned early), every item delivered.
    expect(tallies.generators.completed, `${who}: generators completed`).toBe(tallies.generators.made);
    expect(stats.generatorsStarted, `${who}: generators the worker started`).toBe(tallies.generators.made);
    expect(stats.generatorsClosed, `${who}: generators the worker closed`).toBe(tallies.generators.made);
    expect(stats.yielded, `${who}: items yielded == items received`).toBe(tallies.items);
    // Callbacks: each call ran its callback once, and the worker got every callback's answer.
    expect(tallies.callbackCalls.received, `${who}: callback calls answered`).toBe(tallies.callbackCalls.made);
    expect(stats.callbackCalls, `${who}: callback calls the worker saw`).toBe(tallies.callbackCalls.made);
    expect(tallies.callbacksRun, `${who}: callbacks run`).toBe(tallies.callbackCalls.made);
    expect(stats.callbacksAnswered, `${who}: callback answers the worker got`).toBe(tallies.callbackCalls.made);
  }
  // The same workload everywhere: the same number of each operation.
  const shape = (t: Tallies) => [t.calls.made, t.generators.made, t.items, t.callbackCalls.made];
  for (const { tallies } of reports) expect(shape(tallies), tallies.label).toEqual(shape(reports[0].tallies));
  expect(reports.length).toBe(1 + callerThreads);
});
