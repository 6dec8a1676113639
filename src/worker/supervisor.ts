/**
 * Entry point of the supervisor thread.
 *
 * A Worker's `exit` and `error` events are delivered on the event loop of the thread that created
 * it. A caller blocked in Atomics.wait has a frozen event loop, so if the caller owned the worker
 * it would never learn that the worker died (out of memory, process.exit, terminate) and would
 * wait forever. The supervisor owns the worker instead and does nothing else; its event loop is
 * always free to see the exit, post an exit notice on the control port and wake the caller through
 * shared memory.
 */
import { Worker, workerData, type MessagePort, type ResourceLimits } from "node:worker_threads";
import type { ControlMessage } from "../protocol/messages.js";
import { BLOCKED, CONTROL, HANDLERS, INTERRUPT, SIGNALS, STATE, WorkerState, wakeCaller } from "../protocol/shared-state.js";
import { watchSigint } from "./signals.js";
import { encodeValue } from "../protocol/values.js";
import { encodeError, isError } from "../protocol/errors.js";
import type { LoopWorkerData } from "./loop.js";

export interface SupervisorWorkerData {
  readonly data: MessagePort;
  readonly control: MessagePort;
  readonly shared: Int32Array;
  /** The shared-memory transport's rings (absent: messages take the port only). */
  readonly rings?: SharedArrayBuffer;
  /** Flags for the loop worker: the caller's own, so that loaders such as tsx apply there too. */
  readonly execArgv: readonly string[];
  /** NODE_OPTIONS for the loop worker (the caller's, preloads made absolute: caller/preload-flags.ts); the supervisor runs without. */
  readonly nodeOptions?: string;
  readonly resourceLimits?: ResourceLimits;
  /** Watch SIGINT for the caller (only when the caller is the main thread: workers get no signals). */
  readonly watchSignals: boolean;
}

/** Messages the caller sends to the supervisor on the control port. */
export type SupervisorCommand = { readonly t: "stop"; readonly reason?: string };

const { data, control, shared, rings, execArgv, nodeOptions, resourceLimits, watchSignals } = workerData as SupervisorWorkerData;

const errorOnlyHooks = {
  needsMarker: (value: object) => isError(value),
  toMarker: (value: object, encode: (v: unknown) => unknown, remember: (m: object) => void) =>
    encodeError(value as Error, { classIdOf: () => undefined }, encode, remember),
};

const send = (message: ControlMessage) => {
  control.postMessage(message);
  Atomics.add(shared, CONTROL, 1);
  wakeCaller(shared);
};

// This thread must never die silently: the caller may be blocked waiting for news from it.
function failed(error: unknown): never {
  Atomics.store(shared, STATE, WorkerState.Exited);
  send({ t: "exit", code: 1, reason: `the worker could not be started (${String(error)})`, error: encodeValue(error, errorOnlyHooks).value });
  process.exit(1);
}
process.on("uncaughtException", failed);

let worker: Worker;
try {
  worker = startWorker([...execArgv]);
} catch (error) {
  failed(error);
}

let uncaught: unknown;
/** Set when the caller asked for the stop, with its reason. */
let stopping: string | undefined;

/**
 * Ctrl-C. A caller blocked in a call is woken through shared memory and interrupts the call itself
 * (caller/shutdown.ts). Otherwise, if the user has a SIGINT listener, it gets the signal as usual.
 * Otherwise the process must end as a plain Node process would: stop watching, which gives SIGINT
 * its default disposition back, and raise it again. The same when a second Ctrl-C comes while the
 * first is still unread: the caller is not waiting but running code of its own (a callback that
 * never returns), which only the default disposition can stop.
 */
const sigint = watchSignals
  ? watchSigint(() => {
      Atomics.add(shared, SIGNALS, 1);
      const blocked = Atomics.load(shared, BLOCKED) > 0;
      const unread = Atomics.load(shared, INTERRUPT) !== 0;
      const listening = Atomics.load(shared, HANDLERS) > 0;
      if (blocked && !unread) {
        Atomics.store(shared, INTERRUPT, 2);
        wakeCaller(shared);
      } else if (!listening) {
        endAsPlainNode();
      }
    })
  : undefined;

function endAsPlainNode(): void {
  sigint?.stop();
  process.kill(process.pid, "SIGINT");
}

worker.on("online", () => {
  Atomics.store(shared, STATE, WorkerState.Running);
  send({ t: "online", threadId: worker.threadId, signals: sigint?.mechanism ?? "none" });
});

worker.on("error", (error) => {
  uncaught ??= error;
});

worker.on("exit", (code) => {
  sigint?.stop();
  Atomics.store(shared, STATE, WorkerState.Exited);
  const error = uncaught === undefined ? undefined : encodeValue(uncaught, errorOnlyHooks).value;
  send({ t: "exit", code, reason: describeExit(code, uncaught, stopping), ...(error !== undefined && { error }) });
  control.close();
});

control.on("message", (command: SupervisorCommand) => {
  if (command.t === "stop") {
    stopping = command.reason ?? "the worker was stopped";
    void worker.terminate();
  }
});

/**
 * Start the worker with the caller's flags, minus those a worker refuses (V8 and process-wide
 * flags such as --expose-gc or --max-old-space-size, which Node lists in the error).
 */
function startWorker(flags: string[]): Worker {
  const loopData: LoopWorkerData = { data, shared, ...(rings && { rings }) };
  for (let attempt = 0; ; attempt++) {
    try {
      return new Worker(new URL("./loop.js", import.meta.url), {
        workerData: loopData,
        transferList: [data],
        execArgv: flags,
        ...(resourceLimits && { resourceLimits }),
        ...(nodeOptions !== undefined && { env: { ...process.env, NODE_OPTIONS: nodeOptions } }),
      });
    } catch (error) {
      if ((error as { code?: string }).code !== "ERR_WORKER_INVALID_EXEC_ARGV" || attempt > 0) throw error;
      flags = withoutRefusedFlags(flags, String((error as Error).message));
    }
  }
}

function withoutRefusedFlags(flags: readonly string[], message: string): string[] {
  const refused = new Set(
    (message.split(": ")[1] ?? "")
      .split(", ")
      .map((flag) => flag.trim())
      .filter(Boolean),
  );
  const kept: string[] = [];
  for (let i = 0; i < flags.length; i++) {
    const flag = flags[i]!;
    if (!refused.has(flag)) {
      kept.push(flag);
      continue;
    }
    // A refused flag given as two arguments ("--max-old-space-size", "100") takes its value along.
    if (!flag.includes("=") && flags[i + 1] !== undefined && !flags[i + 1]!.startsWith("-")) i++;
  }
  return kept;
}

function describeExit(code: number, error: unknown, requested: string | undefined): string {
  if (requested !== undefined) return requested;
  if (error !== undefined) {
    const code = (error as { code?: unknown }).code;
    if (code === "ERR_WORKER_OUT_OF_MEMORY") return "the worker ran out of memory";
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return `the worker stopped on an uncaught error (${message})`;
  }
  return code === 1 ? "the worker was terminated or exited with code 1" : `the worker exited with code ${code}`;
}
