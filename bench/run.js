// `npm run bench`: synchronicity side by side with its peers, one table per scenario.
//
//   node bench/run.js                 full run (about 90 s on a 2-core machine)
//   node bench/run.js --quick         smoke run (about 15 s): fewer, shorter rounds
//   node bench/run.js --only sync-add --only startup   (or --only sync-add,startup; an exact id
//                                     runs that scenario alone, otherwise prefixes work:
//                                     --only async runs every async-* scenario)
//   node bench/run.js --json out.json also write every sample to a file
//   node bench/run.js --write         publish (bench/README.md, bench/ratios.svg, README.md headline)
//                                     even for a quick or partial run; a full run publishes by default
//
// Every (library, scenario) pair runs in a fresh child process (bench/cases/<lib>.js), so one
// library's worker threads never compete with another's; this process only spawns, collects and
// prints. See bench/README.md for what each scenario measures.
import { spawn, execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { RESULT_MARKER } from "./lib/harness.js";
import { publish } from "./lib/publish.js";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, "..");

// A row's rounds are split over `processes` separate child processes, run in turn with the other
// rows' (A B C A B C): on a VM, where the scheduler happens to place the threads of one process
// (same core or not) can shift every round of that process, so one process per row is not enough.
// Start-up: 15 fresh processes per library (9 until the start-up medians of one VM phase were seen
// to move by 0.1x of the raw baseline from run to run; a burst of noise shifts fewer of 15).
const PROFILES = {
  full: { processes: 2, warmupMs: 300, roundMs: 150, rounds: 6, startupSamples: 15, idleMs: 5000, timeoutMs: 60_000 },
  quick: { processes: 1, warmupMs: 100, roundMs: 40, rounds: 5, startupSamples: 3, idleMs: 1000, timeoutMs: 30_000 },
};

/** The CPU the "-1cpu" scenarios pin every thread of the child to (with taskset). */
const PIN_CPU = "0";

const SYNCHRONICITY = "synchronicity-js";
const RAW_SYNC = "raw baseline (Atomics.wait + receiveMessageOnPort)";
const RAW_ASYNC = "raw baseline (worker postMessage)";

/** The rows of a blocking scenario: synchronicity's call (`call`, as the label shows it) and the blocking peers. */
const blockingRows = (call) => [
  { label: `${SYNCHRONICITY}  ${call}`, lib: "synchronicity", ref: true },
  { label: "synckit  createSyncFn", lib: "synckit" },
  { label: "make-synchronized", lib: "make-synchronized" },
  { label: RAW_SYNC, lib: "raw-sync" },
];
// The pinned (-1cpu) scenarios compare the same rows as their unpinned twins.
const SYNC_ADD_ROWS = blockingRows("api.add(1, 2)");
const ASYNC_SEQ_ROWS = [
  { label: `${SYNCHRONICITY}  await api.add.aio(1, 2)`, lib: "synchronicity", ref: true },
  { label: "comlink  await remote.add(1, 2)", lib: "comlink" },
  { label: "piscina  run(), default pool", lib: "piscina", variant: "default" },
  { label: "piscina  run(), 1 thread, 1000 tasks/thread", lib: "piscina", variant: "single" },
  { label: RAW_ASYNC, lib: "raw-async" },
];

/** Each row: a label, the case file (bench/cases/<lib>.js), an optional variant; `ref` is the row ratios are taken against. */
const SCENARIOS = [
  {
    id: "sync-add",
    title: "Blocking call of async add(1, 2), tiny payload",
    rows: SYNC_ADD_ROWS,
  },
  {
    id: "sync-add-1cpu",
    caseScenario: "sync-add",
    pin: true,
    title: "Same as sync-add, all threads pinned to one CPU (taskset): each library's own CPU cost per call",
    rows: SYNC_ADD_ROWS,
  },
  {
    id: "sync-echo",
    title: "Blocking call of async echo(s), s = 1 MiB string, returned back",
    rows: blockingRows("api.echo(s)"),
  },
  {
    id: "sync-rows",
    title: "Blocking call of async echo(rows), rows = 100 objects of five fields (a query's result), returned back",
    rows: blockingRows("api.echo(rows)"),
  },
  {
    id: "generator",
    title: "A generator of 10,000 small items (0, 1, 2, ...), consumed with a blocking for...of; time per item",
    unit: "µs/item",
    rows: [
      { label: `${SYNCHRONICITY}  for (x of api.items.with({ readAhead: 1000 })(n))`, lib: "synchronicity", variant: "readahead", ref: true },
      { label: `${SYNCHRONICITY}  for (x of api.items(n)), lockstep`, lib: "synchronicity", variant: "lockstep" },
      { label: "synckit  list(n) as one array (no generators)", lib: "synckit" },
      { label: "make-synchronized  list(n) as one array", lib: "make-synchronized" },
      { label: `${RAW_SYNC}, list(n) as one array`, lib: "raw-sync" },
    ],
  },
  {
    id: "buffer",
    title: "Blocking call of async echo(bytes), bytes = a 1 MiB Uint8Array, returned back",
    rows: [
      { label: `${SYNCHRONICITY}  api.echo(bytes), copied`, lib: "synchronicity", ref: true },
      { label: `${SYNCHRONICITY}  view of a SharedArrayBuffer (zero-copy)`, lib: "synchronicity", variant: "shared" },
      { label: "synckit  createSyncFn", lib: "synckit" },
      { label: "make-synchronized", lib: "make-synchronized" },
      { label: RAW_SYNC, lib: "raw-sync" },
    ],
  },
  {
    id: "idle",
    title: "Idle: CPU time of the whole process over 5 s (quick: 1 s) of idleness, from 100 ms after a burst of 3000 blocking calls",
    unit: "ms CPU",
    noRatio: true,
    rows: SYNC_ADD_ROWS,
  },
  {
    id: "async-seq",
    title: "Async round trip of add(1, 2), sequential (await each call)",
    rows: ASYNC_SEQ_ROWS,
  },
  {
    id: "async-seq-1cpu",
    caseScenario: "async-seq",
    pin: true,
    title: "Same as async-seq, all threads pinned to one CPU (taskset): each library's own CPU cost per call",
    rows: ASYNC_SEQ_ROWS,
  },
  {
    id: "async-concurrent",
    title: "Async add(1, 2), 1000 calls in flight (Promise.all), time per call",
    rows: [
      { label: `${SYNCHRONICITY}  api.add.aio(i, 1)`, lib: "synchronicity", ref: true },
      { label: "comlink  remote.add(i, 1)", lib: "comlink" },
      { label: "piscina  run(), default pool", lib: "piscina", variant: "default" },
      { label: "piscina  run(), 1 thread, 1000 tasks/thread", lib: "piscina", variant: "single" },
      { label: RAW_ASYNC, lib: "raw-async" },
    ],
  },
  {
    id: "futures",
    title: "Futures: 1000 x api.add.future(i, 1), then .result() on each, time per call",
    rows: [
      { label: `${SYNCHRONICITY}  .future() then .result()`, lib: "synchronicity", ref: true },
      { label: "raw baseline (post 1000, then Atomics.wait for each)", lib: "raw-sync" },
    ],
  },
  {
    id: "pool-cpu",
    title: "CPU-bound: 8 synchronous calls of ~50 ms in flight at once (Promise.all), on a pool of 2 threads; time per call",
    rows: [
      { label: `${SYNCHRONICITY}  threads: 2, api.work.aio(n)`, lib: "synchronicity", variant: "pool", ref: true },
      { label: `${SYNCHRONICITY}  one worker (default)`, lib: "synchronicity", variant: "single" },
      { label: "piscina  run(), 2 threads", lib: "piscina" },
    ],
  },
  {
    id: "startup",
    title: "Startup: create the handle, first call's result (fresh process per sample)",
    startup: true,
    rows: [
      { label: `${SYNCHRONICITY}  new Synchronizer() -> api.add(1, 2)`, lib: "synchronicity", ref: true },
      { label: "synckit  createSyncFn -> add(1, 2)", lib: "synckit" },
      { label: "make-synchronized -> add(1, 2)", lib: "make-synchronized" },
      { label: "raw blocking baseline", lib: "raw-sync" },
      { label: "comlink  wrap(new Worker) -> await add (async)", lib: "comlink" },
      { label: "piscina  new Piscina -> await run (async)", lib: "piscina", variant: "default" },
      { label: "raw async baseline (async)", lib: "raw-async" },
    ],
  },
];

// ---------------------------------------------------------------------------------------------

function usage() {
  return [
    "usage: node bench/run.js [--quick] [--only <scenario>[,<scenario>]]... [--json <file>]",
    `scenarios: ${SCENARIOS.map((s) => s.id).join(", ")}`,
  ].join("\n");
}

function parseOptions() {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        quick: { type: "boolean", default: false },
        only: { type: "string", multiple: true },
        json: { type: "string" },
        write: { type: "boolean" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    console.error(`${error.message}\n${usage()}`);
    process.exit(2);
  }
  const { values } = parsed;
  if (values.help) {
    console.log(usage());
    process.exit(0);
  }
  let scenarios = SCENARIOS;
  if (values.only) {
    const wanted = values.only.flatMap((s) => s.split(",")).map((s) => s.trim()).filter(Boolean);
    const unknown = wanted.filter((w) => !SCENARIOS.some((s) => s.id.startsWith(w)));
    if (unknown.length > 0) {
      console.error(`unknown scenario ${unknown.join(", ")}\n${usage()}`);
      process.exit(2);
    }
    // An exact id selects that scenario alone; otherwise a prefix selects all it starts.
    scenarios = SCENARIOS.filter((s) => wanted.some((w) => (SCENARIOS.some((t) => t.id === w) ? s.id === w : s.id.startsWith(w))));
  }
  // Only a full run of everything rewrites the published results, unless told otherwise.
  const write = values.write ?? (!values.quick && !values.only);
  return { mode: values.quick ? "quick" : "full", scenarios, json: values.json, write };
}

// ---------------------------------------------------------------------------------------------
// Machine and versions

function packageVersion(name) {
  try {
    const file = name === "synchronicity-js" ? join(ROOT, "package.json") : join(ROOT, "node_modules", name, "package.json");
    return JSON.parse(readFileSync(file, "utf8")).version;
  } catch {
    return "?";
  }
}

function gitRevision() {
  try {
    const sha = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--", "src"], { cwd: ROOT, encoding: "utf8" }).trim();
    return dirty ? `${sha} (src/ modified)` : sha;
  } catch {
    return "?";
  }
}

function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? "?",
    cores: os.availableParallelism?.() ?? cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    v8: process.versions.v8,
  };
}

// ---------------------------------------------------------------------------------------------
// Children

function hasTaskset() {
  try {
    execFileSync("taskset", ["-c", PIN_CPU, process.execPath, "-e", ""], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/**
 * The children's environment: this one without what makes every Node process start slower, the
 * raw baselines' as much as the libraries' (NODE_EXTRA_CA_CERTS made each start about 45 ms later
 * here, which would shrink every start-up ratio), or load code into it (NODE_OPTIONS).
 */
const CHILD_ENV_DROPPED = ["NODE_EXTRA_CA_CERTS", "NODE_OPTIONS"];
const CHILD_ENV = Object.fromEntries(Object.entries(process.env).filter(([name]) => !CHILD_ENV_DROPPED.includes(name)));

function runChild(lib, scenario, cfg, timeoutMs, pin = false) {
  return new Promise((resolvePromise) => {
    const nodeArgs = [join(HERE, "cases", `${lib}.js`), scenario, JSON.stringify(cfg)];
    const [command, args] = pin ? ["taskset", ["-c", PIN_CPU, process.execPath, ...nodeArgs]] : [process.execPath, nodeArgs];
    const child = spawn(command, args, {
      cwd: ROOT,
      env: CHILD_ENV,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk) => (stderr += chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const line = stdout.split("\n").find((l) => l.startsWith(RESULT_MARKER));
      if (code === 0 && line) {
        resolvePromise({ ok: true, data: JSON.parse(line.slice(RESULT_MARKER.length)) });
        return;
      }
      const why = timedOut ? `timed out after ${timeoutMs / 1000} s` : `exited with ${signal ?? `code ${code}`}`;
      const tail = stderr.trim().split("\n").slice(-6).join("\n");
      resolvePromise({ ok: false, error: `${lib} ${scenario}: ${why}${tail ? `\n${tail}` : ""}` });
    });
  });
}

function progress(text) {
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${text}`);
}

// ---------------------------------------------------------------------------------------------
// Statistics and formatting

function quantile(sorted, q) {
  const i = (sorted.length - 1) * q;
  const lo = Math.floor(i);
  const hi = Math.ceil(i);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (i - lo);
}

function summarize(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: quantile(sorted, 0.5), min: sorted[0], max: sorted.at(-1), samples };
}

function fmt(x) {
  if (x >= 1000) return x.toFixed(0);
  if (x >= 100) return x.toFixed(1);
  return x.toFixed(2);
}

function fmtRate(perCallUs) {
  const rate = 1e6 / perCallUs;
  if (rate >= 1e6) return `${(rate / 1e6).toFixed(2)} M`;
  if (rate >= 1e3) return `${(rate / 1e3).toFixed(1)} k`;
  return rate.toFixed(0);
}

/** "2.61x slower" / "1.30x faster" / "same"; `*` when the min-max ranges overlap. */
function ratioText(row, ref) {
  if (row === ref) return "(reference)";
  const ratio = row.median / ref.median;
  const overlap = row.min <= ref.max && ref.min <= row.max;
  let text;
  if (Math.abs(ratio - 1) < 0.02) text = "same";
  else if (ratio > 1) text = `${ratio.toFixed(2)}x slower`;
  else text = `${(1 / ratio).toFixed(2)}x faster`;
  return overlap ? `${text} *` : text;
}

function printTable(headers, rows, align) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) =>
    "  " + cells.map((c, i) => (align[i] === "r" ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("   ").trimEnd();
  console.log(line(headers));
  console.log("  " + widths.map((w) => "-".repeat(w)).join("   "));
  for (const r of rows) console.log(line(r));
}

function printScenario(scenario, results) {
  console.log(`\n## ${scenario.id}: ${scenario.title}\n`);
  const ref = results.find((r) => r.ref && r.ok);
  const unit = scenario.startup ? "ms" : scenario.unit ?? "µs/call";
  const headers = ["library", `median ${unit}`, "min – max", "vs synchronicity"];
  const align = ["l", "r", "r", "l"];
  const extra = scenario.startup ? ["import ms", "process ms"] : scenario.noRatio ? [] : [scenario.unit === "µs/item" ? "items/s" : "calls/s"];
  headers.push(...extra);
  align.push(...extra.map(() => "r"));
  const rows = results.map((r) => {
    if (!r.ok) return [r.label, "failed", "", "", ...(scenario.startup ? ["", ""] : [""])];
    const cells = [r.label, fmt(r.median), `${fmt(r.min)} – ${fmt(r.max)}`, scenario.noRatio ? "" : ref ? ratioText(r, ref) : "n/a"];
    if (scenario.startup) cells.push(fmt(r.importMs), fmt(r.processMs));
    else if (!scenario.noRatio) cells.push(fmtRate(r.median));
    return cells;
  });
  printTable(headers, rows, align);
  if (!scenario.noRatio && results.some((r) => r.ok && ref && r !== ref && ratioText(r, ref).endsWith("*"))) {
    console.log("  * min–max ranges overlap with synchronicity's: the difference is not clearly above run-to-run noise");
  }
  if (scenario.startup) {
    console.log("  median ms = library handle created -> first result; import ms = import of the library;");
    console.log("  process ms = node process start -> first result (node itself is most of it)");
  }
  for (const r of results) if (!r.ok) console.log(`  FAILED ${r.label}: ${r.error.replace(/\n/g, "\n    ")}`);
}

// ---------------------------------------------------------------------------------------------

async function runScenario(scenario, profile) {
  const cfgFor = (row) => ({ ...profile, ...(row.variant && { variant: row.variant }) });
  if (!scenario.startup) {
    const perProcess = scenario.rows.map(() => []);
    const errors = scenario.rows.map(() => undefined);
    for (let pass = 1; pass <= profile.processes; pass++) {
      for (const [i, row] of scenario.rows.entries()) {
        if (errors[i]) continue;
        progress(`${scenario.id} ${pass}/${profile.processes}: ${row.label} ...`);
        const caseScenario = scenario.caseScenario ?? scenario.id;
        const outcome = await runChild(row.lib, caseScenario, cfgFor(row), profile.timeoutMs, scenario.pin);
        if (outcome.ok) perProcess[i].push(outcome.data);
        else errors[i] = outcome.error;
      }
    }
    progress("");
    return scenario.rows.map((row, i) => {
      if (errors[i]) return { ...row, ok: false, error: errors[i] };
      return {
        ...row,
        ok: true,
        ...summarize(perProcess[i].flatMap((p) => p.samples)),
        samplesByProcess: perProcess[i].map((p) => p.samples),
        opsPerRound: perProcess[i].map((p) => p.opsPerRound),
      };
    });
  }
  // Startup: one process per sample; libraries interleaved so that drift hits all alike. The first
  // pass is not counted (it warms the OS file cache).
  const samples = scenario.rows.map(() => []);
  const errors = scenario.rows.map(() => undefined);
  for (let pass = 0; pass <= profile.startupSamples; pass++) {
    for (const [i, row] of scenario.rows.entries()) {
      if (errors[i]) continue;
      progress(`startup ${pass}/${profile.startupSamples}: ${row.label} ...`);
      const outcome = await runChild(row.lib, "startup", cfgFor(row), 30_000);
      if (!outcome.ok) errors[i] = outcome.error;
      else if (pass > 0) samples[i].push(outcome.data);
    }
  }
  progress("");
  return scenario.rows.map((row, i) => {
    if (errors[i]) return { ...row, ok: false, error: errors[i] };
    const median = (key) => summarize(samples[i].map((s) => s[key])).median;
    return {
      ...row,
      ok: true,
      ...summarize(samples[i].map((s) => s.firstCallMs)),
      importMs: median("importMs"),
      processMs: median("processMs"),
      raw: samples[i],
    };
  });
}

async function main() {
  const options = parseOptions();
  const { mode, json, write } = options;
  // Everything printed is also kept, to be published in bench/README.md.
  const output = [];
  const print = console.log;
  console.log = (...args) => {
    output.push(args.join(" "));
    print(...args);
  };
  let { scenarios } = options;
  const profile = PROFILES[mode];
  const info = machine();
  const versions = Object.fromEntries(
    ["synchronicity-js", "synckit", "make-synchronized", "comlink", "piscina"].map((name) => [name, packageVersion(name)]),
  );
  const started = new Date();

  console.log(`# synchronicity benchmarks (${mode} run, ${started.toISOString()})\n`);
  console.log(`machine:  ${info.cpu}, ${info.cores} cores, ${info.memoryGiB} GiB, ${info.os}`);
  console.log(`node:     ${info.node} (V8 ${info.v8})`);
  console.log(`versions: synchronicity-js ${versions["synchronicity-js"]} @ ${gitRevision()}, ` +
    Object.entries(versions).slice(1).map(([n, v]) => `${n} ${v}`).join(", "));
  console.log(
    `method:   one child process per library and scenario; warm-up ~${profile.warmupMs} ms, then ` +
      `${profile.rounds} rounds of ~${profile.roundMs} ms, in ${profile.processes} process(es) per row; ` +
      `median and min–max of all rounds; ` +
      `startup: ${profile.startupSamples} fresh processes per library; ` +
      `children run without ${CHILD_ENV_DROPPED.join(" and ")}`,
  );

  if (scenarios.some((s) => s.pin) && !hasTaskset()) {
    console.log("note:     taskset is not available here; the -1cpu scenarios are skipped");
    scenarios = scenarios.filter((s) => !s.pin);
  }

  const report = { date: started.toISOString(), mode, profile, machine: info, versions, scenarios: [] };
  let failures = 0;
  // Progress on stderr (not part of the published output): a line per scenario, with an estimate
  // of the time left from the average child process so far.
  const childrenOf = (s) => s.rows.length * (s.startup ? profile.startupSamples + 1 : profile.processes);
  let childrenLeft = scenarios.reduce((sum, s) => sum + childrenOf(s), 0);
  let childrenDone = 0;
  for (const [index, scenario] of scenarios.entries()) {
    const spent = Date.now() - started.getTime();
    const estimate = childrenDone ? `about ${Math.ceil((spent / childrenDone) * childrenLeft / 1000)} s left` : "estimating time left";
    process.stderr.write(`[${index + 1}/${scenarios.length}] ${scenario.id}: ${childrenOf(scenario)} child processes; ${estimate}\n`);
    const results = await runScenario(scenario, profile);
    childrenDone += childrenOf(scenario);
    childrenLeft -= childrenOf(scenario);
    failures += results.filter((r) => !r.ok).length;
    printScenario(scenario, results);
    const ref = results.find((r) => r.ref && r.ok);
    report.scenarios.push({
      id: scenario.id,
      title: scenario.title,
      noRatio: Boolean(scenario.noRatio),
      unit: scenario.startup ? "ms" : "us/call",
      rows: results.map(({ ref: isRef, ...r }) => ({
        ...r,
        reference: Boolean(isRef),
        ...(r.ok && ref && { ratioToSynchronicity: r.median / ref.median }),
      })),
    });
  }

  const seconds = ((Date.now() - started.getTime()) / 1000).toFixed(1);
  console.log(`\ndone in ${seconds} s${failures ? `, ${failures} FAILED` : ""}`);
  if (json) {
    report.durationS = Number(seconds);
    writeFileSync(resolve(process.env.INIT_CWD ?? process.cwd(), json), JSON.stringify(report, null, 2) + "\n");
    console.log(`results written to ${json}`);
  }
  if (write) {
    report.durationS ??= Number(seconds);
    publish(ROOT, output.join("\n"), report);
    print("published: bench/README.md (results), bench/ratios.svg, README.md (headline)");
  }
  process.exitCode = failures ? 1 : 0;
}

await main();
