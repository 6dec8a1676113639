// The child side of the benchmark: every bench/cases/<lib>.js file calls `runCase` with one
// handler per scenario it supports. run.js spawns one child per (library, scenario), so that one
// library's worker threads never share a process with another's.
//
// Protocol: argv is `<scenario> <config-json>`; the child prints exactly one line starting with
// RESULT_MARKER followed by JSON, then exits. Anything else it prints (a library's own logging) is
// ignored by the parent.

export const RESULT_MARKER = "@@bench-result ";

/** Add the numbers of `xs`, so that results are used and checked. */
export function checksum(xs) {
  let sum = 0;
  for (const x of xs) sum += x;
  return sum;
}

/**
 * Measure an operation. `runN(n)` performs n operations (sync or async) and returns anything;
 * `opsPerRun` says how many calls one operation stands for (a batch of 1000 in flight counts 1000),
 * so the result is always in µs per call.
 *
 * First a warm-up of about `cfg.warmupMs` (doubling n, which also lets V8 optimise the hot path),
 * then `cfg.rounds` rounds of a fixed n chosen so that one round takes about `cfg.roundMs`.
 */
export async function measure(runN, cfg, opsPerRun = 1) {
  let n = 1;
  let perOp = Infinity;
  const warmupStart = performance.now();
  while (performance.now() - warmupStart < cfg.warmupMs) {
    const t0 = performance.now();
    await runN(n);
    const elapsed = performance.now() - t0;
    perOp = elapsed / n;
    if (elapsed < cfg.warmupMs / 4) n *= 2;
  }
  const n2 = Math.max(cfg.minOps ?? 1, Math.round(cfg.roundMs / perOp));
  const samples = [];
  for (let round = 0; round < cfg.rounds; round++) {
    const t0 = performance.now();
    await runN(n2);
    const ms = performance.now() - t0;
    samples.push((ms * 1000) / (n2 * opsPerRun));
  }
  return { samples, opsPerRound: n2 * opsPerRun };
}

/** Throw unless `actual` equals `expected` (results are checked once before measuring). */
export function expectEqual(actual, expected, what) {
  if (actual !== expected) {
    throw new Error(`${what}: expected ${String(expected).slice(0, 40)}, got ${String(actual).slice(0, 40)}`);
  }
}

/** Shared inputs. */
// 1 MiB of one-byte characters, as a flat string (not a rope that the first copy would flatten).
export const BIG_STRING = Buffer.alloc(1024 * 1024, "x").toString("latin1");
/** The sync-rows payload: what a database query returns, 100 rows of five fields. */
export const ROWS = Array.from({ length: 100 }, (_, i) => ({ id: i, name: `user${i}`, email: `user${i}@example.com`, score: i * 1.5, active: i % 2 === 0 }));
export const BATCH = 1000; // calls in flight in the concurrent and futures scenarios
export const ITEMS = 10_000; // items of the generator scenario
export const BUFFER_BYTES = 1024 * 1024; // the buffer scenario's payload

/** A 1 MiB Uint8Array with a recognisable pattern, on an ArrayBuffer or (shared = true) a SharedArrayBuffer. */
export function patternBytes(shared = false) {
  const bytes = new Uint8Array(shared ? new SharedArrayBuffer(BUFFER_BYTES) : new ArrayBuffer(BUFFER_BYTES));
  for (let i = 0; i < bytes.length; i += 4096) bytes[i] = (i / 4096) & 0xff;
  bytes[bytes.length - 1] = 7;
  return bytes;
}

/** Throw unless `copy` has the pattern of patternBytes. */
export function expectPattern(copy, what) {
  const ok = copy instanceof Uint8Array && copy.length === BUFFER_BYTES && copy[4096 * 3] === 3 && copy[BUFFER_BYTES - 1] === 7;
  if (!ok) throw new Error(`${what}: the buffer did not come back intact`);
}

/** Throw unless `items` are 0, 1, ..., ITEMS - 1 (as a sum and a count). */
export function expectItems(count, sum, what) {
  expectEqual(count, ITEMS, `${what}: item count`);
  expectEqual(sum, (ITEMS * (ITEMS - 1)) / 2, `${what}: item sum`);
}

/**
 * The idle scenario: after a burst of calls (`burst()`), wait 100 ms, then measure the CPU time
 * the whole process (every thread) uses while idle, over `cfg.idleMs`. One sample, in ms.
 */
export async function measureIdle(burst, cfg) {
  await burst();
  await new Promise((resolve) => setTimeout(resolve, 100));
  const before = process.cpuUsage();
  await new Promise((resolve) => setTimeout(resolve, cfg.idleMs));
  const used = process.cpuUsage(before);
  return { samples: [(used.user + used.system) / 1000], opsPerRound: 1 };
}

/**
 * The startup scenario: `start()` must create the library's handle and make its first call
 * (blocking, or awaited for async-only libraries), returning the result. `loadLibrary()` imports
 * the library, timed separately. Node's `performance.now()` counts from process start, so
 * `processMs` is the whole cost as a user's script would see it.
 */
export async function measureStartup(loadLibrary, start) {
  const t0 = performance.now();
  const lib = await loadLibrary();
  const t1 = performance.now();
  const result = await start(lib);
  const t2 = performance.now();
  expectEqual(result, 3, "first call add(1, 2)");
  return { importMs: t1 - t0, firstCallMs: t2 - t1, processMs: t2 };
}

/**
 * The entry point of a case file. `handlers[scenario](cfg)` returns the result object
 * (`{ samples, ... }` or the startup fields); a handler may return a `close` function to run
 * before the process exits, but the process exits regardless so that no worker keeps it alive.
 */
export async function runCase(handlers) {
  const [scenario, rawCfg = "{}"] = process.argv.slice(2);
  const cfg = JSON.parse(rawCfg);
  const handler = handlers[scenario];
  if (handler === undefined) {
    process.stderr.write(`unknown scenario ${scenario}; this case supports: ${Object.keys(handlers).join(", ")}\n`);
    process.exit(2);
  }
  let exitCode = 0;
  try {
    const result = await handler(cfg);
    const { close, ...data } = result;
    if (close) await close();
    process.stdout.write(RESULT_MARKER + JSON.stringify(data) + "\n");
  } catch (error) {
    process.stderr.write(`${error?.stack ?? error}\n`);
    exitCode = 1;
  }
  // stdout is a pipe: writes are synchronous on Linux, but flush explicitly to be safe elsewhere.
  process.stdout.write("", () => process.exit(exitCode));
}

/**
 * The two async scenarios, the same for every library: `open(cfg)` gives `{ add, close }`, where
 * `add(a, b)` is the library's async call of the implementation's add.
 */
export function asyncScenarios(open) {
  return {
    async "async-seq"(cfg) {
      const { add, close } = await open(cfg);
      expectEqual(await add(1, 2), 3, "add(1, 2)");
      const result = await measure(async (n) => {
        let sum = 0;
        for (let i = 0; i < n; i++) sum += await add(i, 1);
        return sum;
      }, cfg);
      return { ...result, close };
    },

    async "async-concurrent"(cfg) {
      const { add, close } = await open(cfg);
      const batch = async () => {
        const promises = [];
        for (let i = 0; i < BATCH; i++) promises.push(add(i, 1));
        return checksum(await Promise.all(promises));
      };
      expectEqual(await batch(), (BATCH * (BATCH + 1)) / 2, "sum of a batch");
      const result = await measure(async (n) => {
        for (let i = 0; i < n; i++) await batch();
      }, cfg, BATCH);
      return { ...result, close };
    },
  };
}

/**
 * The two blocking scenarios, the same for every library: `open(name)` gives `{ call, close }`,
 * where `call(...args)` is the library's blocking call of the implementation's `name` ("add" or
 * "echo").
 */
export function syncScenarios(open) {
  return {
    async "sync-add"(cfg) {
      const { call, close } = await open("add");
      expectEqual(call(1, 2), 3, "add(1, 2)");
      const result = await measure((n) => {
        let sum = 0;
        for (let i = 0; i < n; i++) sum += call(i, 1);
        return sum;
      }, cfg);
      return { ...result, close };
    },

    // A 1 MiB Uint8Array there and back, copied both ways.
    async "buffer"(cfg) {
      const { call, close } = await open("echo");
      const bytes = patternBytes();
      expectPattern(call(bytes), "echo(1 MiB buffer)");
      const result = await measure((n) => {
        let length = 0;
        for (let i = 0; i < n; i++) length += call(bytes).length;
        return length;
      }, cfg);
      return { ...result, close };
    },

    // Blocking calls of `list(ITEMS)`: the whole sequence as one array (for libraries without generators).
    async "generator"(cfg) {
      const { call, close } = await open("list");
      const check = () => {
        const values = call(ITEMS);
        expectItems(values.length, checksum(values), "list()");
      };
      check();
      const result = await measure((n) => {
        for (let i = 0; i < n; i++) call(ITEMS);
      }, cfg, ITEMS);
      check();
      return { ...result, close };
    },

    async idle(cfg) {
      const { call, close } = await open("add");
      const result = await measureIdle(() => {
        let sum = 0;
        for (let i = 0; i < 3000; i++) sum += call(i, 1);
        expectEqual(sum, 4501500, "sum of the burst");
      }, cfg);
      return { ...result, close };
    },

    // 100 small objects (database rows) there and back, copied both ways.
    async "sync-rows"(cfg) {
      const { call, close } = await open("echo");
      const check = (copy) => {
        expectEqual(copy.length, ROWS.length, "echo(rows): row count");
        expectEqual(copy[99].email, ROWS[99].email, "echo(rows): last row's email");
        return copy.length;
      };
      check(call(ROWS));
      const result = await measure((n) => {
        let count = 0;
        for (let i = 0; i < n; i++) count += check(call(ROWS));
        return count;
      }, cfg);
      return { ...result, close };
    },

    async "sync-echo"(cfg) {
      const { call, close } = await open("echo");
      expectEqual(call(BIG_STRING), BIG_STRING, "echo(1 MiB)");
      const result = await measure((n) => {
        let length = 0;
        for (let i = 0; i < n; i++) length += call(BIG_STRING).length;
        return length;
      }, cfg);
      return { ...result, close };
    },
  };
}
