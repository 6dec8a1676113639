/**
 * Starts the worker thread that runs the implementation (worker/loop.ts) with the caller's Node
 * flags and NODE_OPTIONS, so that loaders such as tsx apply there too.
 */
import type { MessagePort, ResourceLimits, Worker } from "node:worker_threads";
import { fileURLToPath } from "node:url";
import { workerThreads } from "../../builtins.js";
import type { BootWatchData, LoopWorkerData } from "../../worker/loop.js";
import type { WorkerEntries } from "./worker-files.js";
import { workerFlags } from "./worker-flags.js";
import { hasPreloads, nodeOptionsHavePreloads, workerExecArgv, workerNodeOptions } from "./preload-flags.js";
import { onBunOrDeno } from "../support/runtime.js";

export interface LoopThreadOptions {
  readonly execArgv: readonly string[];
  readonly resourceLimits?: ResourceLimits;
}

/**
 * Start the loop thread with the caller's flags (preloads made absolute), minus those a worker
 * refuses (V8 and process-wide flags such as --expose-gc or --max-old-space-size, which Node lists
 * in the error). Throws what the Worker constructor throws otherwise.
 */
export function startLoopThread(entries: WorkerEntries, options: LoopThreadOptions, loopData: LoopWorkerData, transferList: MessagePort[]): Worker {
  const { flags: startFlags, nodeOptions, bootWatch } = withBootWatch(entries.bootWatch, workerExecArgv(workerFlags(options.execArgv)), process.env["NODE_OPTIONS"]);
  let flags = startFlags;
  const workerData: LoopWorkerData = bootWatch === undefined ? loopData : { ...loopData, bootWatch };
  for (let attempt = 0; ; attempt++) {
    try {
      return new (workerThreads().Worker)(entries.loop, {
        workerData,
        transferList,
        execArgv: flags,
        // The thread writes its output to fd 1 and 2 itself, from before any code of the user's
        // runs there (worker/output.ts: its entry, or boot-watch.ts ahead of the preloads), so
        // Node's forwarding of its streams would carry nothing. Setting it up cost 1.5 ms of every
        // start, before the thread could start (the first use of stream piping, and this
        // process's own stdout and stderr, made for it).
        stdout: true,
        stderr: true,
        ...(options.resourceLimits && { resourceLimits: options.resourceLimits }),
        // Only when NODE_OPTIONS changes for the worker; otherwise the default, a copy of this env.
        ...(nodeOptions !== undefined && { env: { ...process.env, NODE_OPTIONS: nodeOptions } }),
      });
    } catch (error) {
      if ((error as { code?: string }).code !== "ERR_WORKER_INVALID_EXEC_ARGV" || attempt > 0) throw error;
      flags = withoutRefusedFlags(flags, String((error as Error).message));
    }
  }
}

/**
 * The worker's flags and NODE_OPTIONS (undefined: unchanged), with worker/boot-watch.ts preloaded
 * ahead of the user's preloads, if there are any, so that an error one of them throws reaches the
 * caller with its message (Node runs NODE_OPTIONS' preloads before execArgv's). On Node only:
 * Deno and Bun do not run a worker's preload flags.
 */
function withBootWatch(bootWatch: URL, flags: string[], inherited: string | undefined): { flags: string[]; nodeOptions: string | undefined; bootWatch?: BootWatchData } {
  const rewritten = workerNodeOptions(inherited);
  const nodeOptions = rewritten ?? inherited;
  if (onBunOrDeno()) return { flags, nodeOptions: rewritten };
  const preload = ["--require", fileURLToPath(bootWatch)] as const;
  if (nodeOptionsHavePreloads(nodeOptions)) {
    return { flags, nodeOptions: `${preload[0]} ${quoted(preload[1])} ${nodeOptions!}`, bootWatch: { execArgv: preload, nodeOptions: nodeOptions! } };
  }
  if (hasPreloads(flags)) return { flags: [...preload, ...flags], nodeOptions: rewritten, bootWatch: { execArgv: preload } };
  return { flags, nodeOptions: rewritten };
}

/** A value as NODE_OPTIONS reads it: in double quotes, with backslash escapes, if it needs them. */
function quoted(value: string): string {
  return /[\s"\\]/.test(value) ? `"${value.replace(/["\\]/g, "\\$&")}"` : value;
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
