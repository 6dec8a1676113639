/**
 * Receiving SIGINT in the supervisor thread.
 *
 * A process's SIGINT is delivered to the event loops that watch it. The caller's main thread may
 * be blocked in Atomics.wait, where its loop cannot run a listener; the supervisor's loop is always
 * free. Node offers workers no public way to watch signals (`process.on("SIGINT")` is not
 * delivered in a worker), so this tries, in order:
 *
 * 1. the optional native helper `synchronicity-js-signals`, if the user installed it (any Node);
 * 2. Node's internal signal binding (`process.binding("signal_wrap")`, Node 20 and 22), with its
 *    deprecation warning silenced;
 * 3. on Deno, `Deno.addSignalListener`, which any thread may use;
 * 4. nothing: Ctrl-C then behaves as in plain Node (immediate exit without cleanup, or the user's
 *    listener after the blocking call returns). docs/ARCHITECTURE.md compares the three.
 */
import { nodeModule } from "../builtins.js";

export interface SignalWatch {
  /** Which mechanism delivers the signal. */
  readonly mechanism: "native-helper" | "signal_wrap" | "deno";
  /** Stop watching (the process gets the default disposition back when no watcher is left). */
  stop(): void;
}

const SIGINT = 2;

export function watchSigint(onSignal: () => void): SignalWatch | undefined {
  return viaNativeHelper(onSignal) ?? viaSignalWrap(onSignal) ?? viaDeno(onSignal);
}

interface DenoSignals {
  addSignalListener(signal: "SIGINT", handler: () => void): void;
  removeSignalListener(signal: "SIGINT", handler: () => void): void;
}

/** Deno lets any thread, workers included, listen for a signal. */
function viaDeno(onSignal: () => void): SignalWatch | undefined {
  const deno = (globalThis as { Deno?: Partial<DenoSignals> }).Deno;
  if (typeof deno?.addSignalListener !== "function" || typeof deno.removeSignalListener !== "function") return undefined;
  const handler = () => onSignal();
  try {
    deno.addSignalListener("SIGINT", handler);
  } catch {
    return undefined;
  }
  let stopped = false;
  return {
    mechanism: "deno",
    stop: () => {
      if (stopped) return;
      stopped = true;
      deno.removeSignalListener!("SIGINT", handler);
    },
  };
}

function viaNativeHelper(onSignal: () => void): SignalWatch | undefined {
  let helper: { watch(signal: number, callback: () => void): { stop(): void } };
  try {
    // SYNCHRONICITY_SIGNALS_HELPER names the helper's path, for layouts where it is not resolvable.
    helper = nodeModule().createRequire(import.meta.url)(process.env["SYNCHRONICITY_SIGNALS_HELPER"] || "synchronicity-js-signals") as typeof helper;
  } catch {
    return undefined;
  }
  const handle = helper.watch(SIGINT, onSignal);
  return { mechanism: "native-helper", stop: () => handle.stop() };
}

interface SignalHandle {
  onsignal: (signal: number) => void;
  start(signal: number): number;
  close(): void;
  unref(): void;
}

function viaSignalWrap(onSignal: () => void): SignalWatch | undefined {
  const emitWarning = process.emitWarning;
  let handle: SignalHandle;
  try {
    // The binding is deprecated (DEP0111): reading it prints a warning that a user must not see.
    process.emitWarning = () => {};
    // Other runtimes (Deno, Bun) have no such binding, or a stand-in without a usable Signal class:
    // anything unexpected means "no mechanism", never a failure of the first call.
    const { Signal } = (process as unknown as { binding(name: string): { Signal?: unknown } }).binding("signal_wrap");
    if (typeof Signal !== "function") return undefined;
    handle = new (Signal as new () => SignalHandle)();
    if (typeof handle.start !== "function" || typeof handle.close !== "function") return undefined;
    handle.onsignal = () => onSignal();
    if (handle.start(SIGINT) !== 0) {
      handle.close();
      return undefined;
    }
    handle.unref?.();
  } catch {
    return undefined;
  } finally {
    process.emitWarning = emitWarning;
  }
  let stopped = false;
  return {
    mechanism: "signal_wrap",
    stop: () => {
      if (stopped) return;
      stopped = true;
      handle.close();
    },
  };
}
