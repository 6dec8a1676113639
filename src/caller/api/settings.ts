/** What a Synchronizer is given (its options, validated in options.ts) and what it reports (diagnostics). */
import type { ResourceLimits } from "node:worker_threads";
import type { WorkerStats } from "../../protocol/messages.js";

export interface SynchronizerOptions {
  /**
   * Node flags for the worker. Defaults to this process's own flags (process.execArgv), so that
   * loaders such as tsx apply in the worker too.
   */
  readonly execArgv?: readonly string[];
  /** Memory limits for the worker; a worker that exceeds them stops, and pending calls fail. */
  readonly resourceLimits?: ResourceLimits;
  /** Start a fresh worker on the next call after the worker died (default true). */
  readonly restart?: boolean;
  /**
   * How long closing an iterator (`return()`, `break` out of a loop) waits for the generator's
   * cleanup in the worker before the caller moves on; the cleanup goes on in the background
   * (default 5000 ms).
   */
  readonly closeTimeoutMs?: number;
  /**
   * A timeout (ms) for every call that does not give its own: a blocking call then throws a
   * TimeoutError and the worker-side task is aborted. None by default.
   */
  readonly timeout?: number;
  /**
   * How long importing a module in the worker may take before it fails with a TimeoutError
   * (default 30000 ms): a module whose top level never finishes cannot hang the caller.
   */
  readonly loadTimeout?: number;
  /**
   * At process exit and on Ctrl-C, how long the worker may take to run the cleanup of the calls
   * still in flight (their `finally` blocks) before the process ends anyway (default 3000 ms;
   * 0 turns the wait off).
   */
  readonly shutdownTimeout?: number;
  /**
   * When a call times out, also terminate the worker, and start a fresh one on the next call. For
   * implementations that can get stuck in synchronous code, where a cancel is never seen. Other
   * calls in flight fail with a WorkerExitError, and objects of that worker are lost. Default false.
   */
  readonly terminateOnTimeout?: boolean;
  /**
   * A blocking call that has waited longer than this (ms) prints a warning on stderr naming the
   * call, and goes on waiting: a way to find a call that waits for something needing this thread's
   * own event loop (a deadlock). Off by default (undefined or 0).
   */
  readonly blockingWarningMs?: number;
  /**
   * How many worker threads: 1 (the default) is one worker; a number N > 1, or
   * `{ max, min?, idleTimeoutMs?, maxQueue? }`, makes a pool (see caller/pool/). Stateless calls go
   * to the least busy worker; objects and generators stay on the worker that made them.
   */
  readonly threads?: number | ThreadsOptions;
  /**
   * A module every worker imports once, before any other (a URL, a file: URL string, an absolute
   * path, or a path or package name resolved from the file that constructs the Synchronizer): warm
   * a cache, open a database file. If it fails, the modules imported after it fail with a
   * ModuleLoadError whose cause is its error.
   */
  readonly setup?: string | URL;
}

/** The pool form of `threads`. */
export interface ThreadsOptions {
  /** The most workers that run at once. */
  readonly max: number;
  /** Workers kept when idle (default 1); none starts before the first call. */
  readonly min?: number;
  /** A worker above `min` that has had no call, object or callback for this long stops (default 10000 ms). */
  readonly idleTimeoutMs?: number;
  /**
   * How many calls may wait beyond one per worker (`max`): a stateless call made while `max +
   * maxQueue` calls are in flight on the pool fails at once with a QueueFullError. Default: no limit.
   */
  readonly maxQueue?: number;
}


/** What `synchronizer.diagnostics()` reports. */
export interface Diagnostics {
  /** The worker's view, or undefined when no worker runs. */
  readonly worker: WorkerStats | undefined;
  readonly caller: {
    /** Requests sent and not yet answered (excluding the diagnostics request itself). */
    readonly pendingCalls: number;
    /** Worker objects this thread holds proxies for. */
    readonly handles: number;
    /** This thread's functions the worker holds as callbacks. */
    readonly callbacks: number;
  };
  /**
   * How Ctrl-C reaches a blocked call: "signal_wrap" (Node 20/22 built in), "deno" (Deno's signal listener), "native-helper" (the
   * optional synchronicity-js-signals package) or "none" (Ctrl-C ends the process without cleanup,
   * as in plain Node). Undefined when no worker runs.
   */
  readonly signals: "native-helper" | "signal_wrap" | "deno" | "none" | undefined;
  /** The runtime: "node 20.20.2", "deno 2.9.6", "bun 1.4.5". */
  readonly runtime: string;
  /** What works differently here than on Node with every feature (empty when nothing does). */
  readonly notes: readonly string[];
  /** Pools only (option `threads`): the workers running now, each one's view, and the bounds. */
  readonly pool?: {
    readonly workers: number;
    readonly perWorker: readonly WorkerStats[];
    readonly max: number;
    readonly min: number;
  };
}
