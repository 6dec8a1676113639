/**
 * Starts the worker thread that runs the implementation (worker/loop.ts) with the caller's Node
 * flags and NODE_OPTIONS, so that loaders such as tsx apply there too.
 */
import type { MessagePort, ResourceLimits, Worker } from "node:worker_threads";
import { workerThreads } from "../../builtins.js";
import type { LoopWorkerData } from "../../worker/loop.js";
import { workerFlags } from "./worker-flags.js";
import { workerExecArgv, workerNodeOptions } from "./preload-flags.js";

export interface LoopThreadOptions {
  readonly execArgv: readonly string[];
  readonly resourceLimits?: ResourceLimits;
}

/**
 * Start the loop thread with the caller's flags (preloads made absolute), minus those a worker
 * refuses (V8 and process-wide flags such as --expose-gc or --max-old-space-size, which Node lists
 * in the error). Throws what the Worker constructor throws otherwise.
 */
export function startLoopThread(entry: URL, options: LoopThreadOptions, loopData: LoopWorkerData, transferList: MessagePort[]): Worker {
  let flags = workerExecArgv(workerFlags(options.execArgv));
  const nodeOptions = workerNodeOptions(process.env["NODE_OPTIONS"]);
  for (let attempt = 0; ; attempt++) {
    try {
      return new (workerThreads().Worker)(entry, {
        workerData: loopData,
        transferList,
        execArgv: flags,
        ...(options.resourceLimits && { resourceLimits: options.resourceLimits }),
        // Only when a preload had to be made absolute; otherwise the default, a copy of this env.
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
