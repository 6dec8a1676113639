/**
 * Starts and stops the two threads behind a Synchronizer: the supervisor (supervisor.ts) and,
 * started by it, the worker that runs the implementation. Neither keeps the process alive: a
 * script ends when its own work is done, and pending async calls keep it alive through their
 * port (see transport.keepAlive), not through the threads.
 */
import { isMainThread, MessageChannel, Worker, type ResourceLimits } from "node:worker_threads";
import { PortCallerTransport, type CallerTransport } from "../protocol/transport.js";
import { ShmCallerTransport } from "../protocol/shm/caller-transport.js";
import { createRings } from "../protocol/shm/ring.js";
import { createSharedState, SIGNALS, STATE, WorkerState } from "../protocol/shared-state.js";
import type { SupervisorCommand, SupervisorWorkerData } from "../worker/supervisor.js";
import { supervisorEntry } from "./worker-files.js";
import { workerFlags } from "./worker-flags.js";
import { workerExecArgv, workerNodeOptions } from "./preload-flags.js";

export interface HostOptions {
  readonly execArgv: readonly string[];
  readonly resourceLimits?: ResourceLimits;
}

export class WorkerHost {
  readonly transport: CallerTransport;
  private readonly shared = createSharedState();
  private readonly supervisor: Worker;
  private readonly controlPort;

  constructor(options: HostOptions, onSupervisorExit: (code: number) => void) {
    const data = new MessageChannel();
    const control = new MessageChannel();
    this.controlPort = control.port1;
    // Shared-memory rings unless the port-only transport is forced (tests run both).
    const rings = process.env["SYNCHRONICITY_TRANSPORT"] === "port" ? undefined : createRings();
    this.transport = rings
      ? new ShmCallerTransport(data.port1, control.port1, this.shared, rings)
      : new PortCallerTransport(data.port1, control.port1, this.shared);
    const nodeOptions = workerNodeOptions(process.env["NODE_OPTIONS"]) ?? process.env["NODE_OPTIONS"];
    const supervisorData: SupervisorWorkerData = {
      data: data.port2,
      control: control.port2,
      shared: this.shared,
      ...(rings && { rings }),
      execArgv: workerExecArgv(workerFlags(options.execArgv)),
      ...(nodeOptions !== undefined && { nodeOptions }),
      watchSignals: isMainThread,
      ...(options.resourceLimits && { resourceLimits: options.resourceLimits }),
    };
    this.supervisor = new Worker(supervisorEntry(), {
      workerData: supervisorData,
      transferList: [data.port2, control.port2],
      // The supervisor runs only this library's compiled JavaScript; loaders are for the worker.
      // Without NODE_OPTIONS too: a preload that fails there (a relative path after chdir) would
      // end the supervisor where only this thread's (blocked) event loop could see it.
      execArgv: [],
      env: withoutNodeOptions(),
      stdout: false,
      stderr: false,
    });
    this.supervisor.unref();
    // Normally the supervisor reports the worker's exit itself; this covers the supervisor dying
    // first (seen only when this thread's event loop runs, which is why it is the fallback).
    this.supervisor.on("exit", onSupervisorExit);
    this.supervisor.on("error", () => {});
  }

  /** True once the worker has exited (any cause). Read from shared memory: valid while the caller blocks. */
  get exited(): boolean {
    return Atomics.load(this.shared, STATE) === WorkerState.Exited;
  }

  /** How many SIGINTs the supervisor has received. */
  get signalsSeen(): number {
    return Atomics.load(this.shared, SIGNALS);
  }

  /** Ask the supervisor to stop the worker. The exit notice (with `reason`) follows on the control port. */
  stop(reason?: string): void {
    const command: SupervisorCommand = { t: "stop", ...(reason !== undefined && { reason }) };
    try {
      this.controlPort.postMessage(command);
    } catch {
      // Port already closed: the worker is gone.
    }
  }

  /** Stop both threads and release the ports; resolves when the supervisor thread has ended. */
  async dispose(): Promise<void> {
    this.stop();
    await this.supervisor.terminate();
    this.transport.close();
  }

  /** Stop without waiting (for synchronous disposal); the threads end shortly after. */
  disposeNow(): void {
    this.stop();
    void this.supervisor.terminate();
    this.transport.close();
  }
}

/** This process's environment minus NODE_OPTIONS (the supervisor passes it on to the worker). */
function withoutNodeOptions(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env["NODE_OPTIONS"];
  return env;
}
