/**
 * Starts and stops the two threads behind a Synchronizer, both at once (their boots overlap): the
 * loop thread that runs the implementation (worker/loop.ts) and the supervisor (worker/supervisor.ts),
 * which sees the loop thread end through the lifeline between them (protocol/lifeline.ts) and
 * tells a caller that may be blocked. Neither keeps the process alive: a script ends when its own
 * work is done, and pending async calls keep it alive through their port (see
 * transport.keepAlive), not through the threads.
 */
import type { MessagePort, Worker } from "node:worker_threads";
import { workerThreads } from "../../builtins.js";
import { PortCallerTransport, type CallerTransport } from "../../protocol/transport.js";
import { ShmCallerTransport } from "../../protocol/shm/caller-transport.js";
import { createRings } from "../../protocol/shm/ring.js";
import { CONTROL, createSharedState, SIGNALS, STATE, WorkerState, wakeCaller } from "../../protocol/shared-state.js";
import type { ControlMessage } from "../../protocol/messages.js";
import { describeThrown, encodeBareError } from "../../protocol/bare-errors.js";
import type { SupervisorCommand, SupervisorWorkerData } from "../../worker/supervisor.js";
import { workerEntries } from "./worker-files.js";
import { startLoopThread, type LoopThreadOptions } from "./loop-thread.js";

export type HostOptions = LoopThreadOptions;

export class WorkerHost {
  readonly transport: CallerTransport;
  private readonly shared = createSharedState();
  /** Undefined when the loop thread could not be started (the exit notice says why). */
  private readonly loop: Worker | undefined;
  private readonly supervisor: Worker | undefined;
  private readonly controlPort: MessagePort;

  constructor(options: HostOptions, onSupervisorExit: (code: number) => void) {
    const entries = workerEntries();
    const threads = workerThreads();
    const data = new threads.MessageChannel();
    const control = new threads.MessageChannel();
    const lifeline = new threads.MessageChannel();
    this.controlPort = control.port1;
    // Shared-memory rings unless the port-only transport is forced (tests run both).
    const rings = process.env["SYNCHRONICITY_TRANSPORT"] === "port" ? undefined : createRings();
    this.transport = rings
      ? new ShmCallerTransport(data.port1, control.port1, this.shared, rings)
      : new PortCallerTransport(data.port1, control.port1, this.shared);
    // The loop first: its boot (the library's bundle, then the implementation) is the longer one.
    try {
      this.loop = startLoopThread(
        entries,
        options,
        { data: data.port2, shared: this.shared, lifeline: lifeline.port1, ...(rings && { rings }) },
        [data.port2, lifeline.port1],
      );
    } catch (error) {
      // Reported as the supervisor would report a worker's death, so that the request that
      // started it, and every later one, fails the same way.
      this.reportUnstarted(control.port2, error);
      return;
    }
    this.loop.unref();
    // Its uncaught error travels on the lifeline; without a listener this event would throw here.
    this.loop.on("error", () => {});
    const supervisorData: SupervisorWorkerData = { control: control.port2, lifeline: lifeline.port2, shared: this.shared, watchSignals: threads.isMainThread };
    this.supervisor = new threads.Worker(entries.supervisor, {
      workerData: supervisorData,
      transferList: [control.port2, lifeline.port2],
      // The supervisor runs only this library's compiled JavaScript; loaders are for the worker.
      // Without NODE_OPTIONS too: a preload that fails there (a relative path after chdir) would
      // end the supervisor where only this thread's (blocked) event loop could see it.
      execArgv: [],
      env: withoutNodeOptions(),
      stdout: false,
      stderr: false,
    });
    this.supervisor.unref();
    // Normally the supervisor reports the loop's end itself; this covers the supervisor dying
    // first (seen only when this thread's event loop runs, which is why it is the fallback).
    this.supervisor.on("exit", onSupervisorExit);
    this.supervisor.on("error", () => {});
  }

  /** True once the worker has exited (any cause). Read from shared memory: valid while the caller blocks. */
  get exited(): boolean {
    return Atomics.load(this.shared, STATE) === WorkerState.Exited;
  }

  /** True once the worker's loop runs (the supervisor got its hello). Read from shared memory: valid while the caller blocks. */
  get running(): boolean {
    return Atomics.load(this.shared, STATE) === WorkerState.Running;
  }

  /** How many SIGINTs the supervisor has received. */
  get signalsSeen(): number {
    return Atomics.load(this.shared, SIGNALS);
  }

  /**
   * Terminate the loop thread (terminateOnTimeout). The supervisor is told `reason` first, on the
   * control port: it reads that port to the end when the lifeline closes, so its exit notice
   * gives this reason whichever event it sees first.
   */
  stop(reason?: string): void {
    const command: SupervisorCommand = { t: "stop", ...(reason !== undefined && { reason }) };
    try {
      this.controlPort.postMessage(command);
    } catch {
      // Port already closed: the supervisor is gone, and its exit was reported.
    }
    void this.loop?.terminate();
  }

  /** Stop both threads and release the ports; resolves when both threads have ended. */
  async dispose(): Promise<void> {
    await Promise.all([this.loop?.terminate(), this.supervisor?.terminate()]);
    this.transport.close();
  }

  /** Stop without waiting (for synchronous disposal); the threads end shortly after. */
  disposeNow(): void {
    void this.loop?.terminate();
    void this.supervisor?.terminate();
    this.transport.close();
  }

  /** The loop thread could not be created: post the exit notice the supervisor would have posted. */
  private reportUnstarted(supervisorEnd: MessagePort, error: unknown): void {
    Atomics.store(this.shared, STATE, WorkerState.Exited);
    const notice: ControlMessage = { t: "exit", code: 1, reason: `the worker could not be started (${describeThrown(error)})`, error: encodeBareError(error) };
    // Left open: closing it could race the notice to the caller's end.
    supervisorEnd.postMessage(notice);
    Atomics.add(this.shared, CONTROL, 1);
    wakeCaller(this.shared);
  }
}

/** This process's environment minus NODE_OPTIONS (the loop thread gets it, not the supervisor). */
function withoutNodeOptions(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env["NODE_OPTIONS"];
  return env;
}
