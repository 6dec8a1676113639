/**
 * Starts and stops the two threads behind a Synchronizer: the loop thread that runs the
 * implementation (worker/loop.ts) and the supervisor (worker/supervisor.ts), which sees the loop
 * thread end through the lifeline between them (protocol/lifeline.ts) and tells a caller that may
 * be blocked. Neither keeps the process alive: a script ends when its own work is done, and
 * pending async calls keep it alive through their port (see transport.keepAlive), not through the
 * threads.
 *
 * The supervisor starts only when it is needed, not with the loop thread. It is needed by a caller
 * that blocks for long: one that Ctrl-C may interrupt, or that must hear of the loop's death while
 * its event loop is frozen. So it starts when a blocked caller has heard nothing for
 * UNSUPERVISED_WAIT_MS once the loop thread has booted (heardNothing; the loop thread wakes a
 * blocked caller once booted, so that the boot does not count as silence);
 * when diagnostics() asks for it; when the caller stops the loop; and when the loop thread ends
 * (its "exit" event, seen when this thread's event loop runs). Should the loop die while booting
 * (a preload that throws), a blocked caller starts it once the boot has taken SUPERVISOR_LATE_MS.
 *
 * Why not at once: two Node threads booting together each boot slower, and the first call's result
 * waited for both; and a thread still booting when the process exits holds the exit up until it
 * has booted. A script that makes short calls never starts it. Until it runs, Ctrl-C ends the
 * process as it would without this library, and a blocked caller hears of the loop's death one
 * supervisor boot after it started.
 */
import type { MessagePort, Worker } from "node:worker_threads";
import { workerThreads } from "../../builtins.js";
import { PortCallerTransport, type CallerTransport } from "../../protocol/transport.js";
import { ShmCallerTransport } from "../../protocol/shm/caller-transport.js";
import { CONTROL, SIGNALS, STATE, WorkerState, wakeCaller } from "../../protocol/shared-state.js";
import type { ControlMessage } from "../../protocol/messages.js";
import { describeThrown, encodeBareError } from "../../protocol/bare-errors.js";
import type { SupervisorCommand, SupervisorWorkerData } from "../../worker/supervisor.js";
import { signalsHandled } from "../support/process-hooks.js";
import type { LoopThreadOptions } from "./loop-thread.js";
import { startThread, type StartedThread } from "./thread-start.js";
import { nowMs } from "../../protocol/clock.js";

export type HostOptions = LoopThreadOptions;

/**
 * How long a blocked caller goes without news and without a supervisor once the loop thread has
 * booted. Longer than the calls of a hook or a CLI, which then never start the thread; short
 * enough that Ctrl-C works on a call that hangs (from this plus one thread boot into the call).
 */
export const UNSUPERVISED_WAIT_MS = 50;

/**
 * How long after the loop thread's start a blocked caller waits for it to mark itself running
 * before starting the supervisor anyway: the loop may have died while booting (a preload that
 * throws), and only the supervisor can tell a blocked caller. A normal boot takes well under this.
 * (Checked when a silence of UNSUPERVISED_WAIT_MS ends, so it is rounded up to a multiple of that.)
 */
export const SUPERVISOR_LATE_MS = 300;

export class WorkerHost {
  readonly transport: CallerTransport;
  private readonly shared: Int32Array;
  /** Undefined when the loop thread could not be started (the exit notice says why). */
  private readonly loop: Worker | undefined;
  private supervisor: Worker | undefined;
  /** What starting the supervisor takes; undefined once it has started (or never will). */
  private supervisorStart: { readonly file: URL; readonly data: SupervisorWorkerData } | undefined;
  /** When the loop thread was started (nowMs()). */
  private readonly createdAt: number;
  private disposed = false;
  /** SIGINTs this thread had handled when the supervisor started (see unhandledSignals). */
  private signalsHandledBefore: number | undefined;
  private readonly controlPort: MessagePort;

  /**
   * Run the loop thread `started`, or one started now. (The Synchronizer starts the first one
   * itself, before the part of the library that holds this class has loaded: thread-start.ts.)
   */
  constructor(
    options: HostOptions,
    private readonly onSupervisorExit: (code: number) => void,
    started: StartedThread = startThread(options),
  ) {
    const { entries, loop, startFailure, rings, wake, data, lifeline } = started;
    // Made here, not with the thread: the loop thread never uses it, and it costs the start 0.1 ms.
    const control = new (workerThreads().MessageChannel)();
    this.shared = started.shared;
    this.createdAt = started.createdAt;
    this.controlPort = control.port1;
    // This side's transport after the thread, which reads it only once it has booted: building it
    // overlaps with the boot.
    this.transport = rings && wake
      ? new ShmCallerTransport(data.port1, control.port1, this.shared, rings, wake.port1)
      : new PortCallerTransport(data.port1, control.port1, this.shared);
    this.loop = loop;
    if (loop === undefined) {
      // Reported as the supervisor would report a worker's death, so that the request that
      // started it, and every later one, fails the same way.
      this.reportUnstarted(control.port2, startFailure);
      return;
    }
    loop.unref();
    // Its uncaught error travels on the lifeline; without a listener this event would throw here.
    loop.on("error", () => {});
    // A loop that died before it marked itself running: the supervisor, started now, finds the
    // lifeline closed and reports the end as always.
    loop.on("exit", () => this.startSupervisor());
    this.supervisorStart = {
      file: entries.supervisor,
      data: { control: control.port2, lifeline: lifeline.port2, shared: this.shared, watchSignals: workerThreads().isMainThread },
    };
  }

  /** Whether the supervisor has been started (it may still be booting). */
  get supervised(): boolean {
    return this.supervisorStart === undefined;
  }

  /**
   * Start the supervisor, if it has not been (see the top of this file for when). Does nothing
   * once the threads are disposed.
   */
  startSupervisor(): void {
    const start = this.supervisorStart;
    if (start === undefined || this.disposed) return;
    this.supervisorStart = undefined;
    this.signalsHandledBefore = signalsHandled();
    try {
      this.supervisor = new (workerThreads().Worker)(start.file, {
        workerData: start.data,
        transferList: [start.data.control, start.data.lifeline],
        // The supervisor runs only this library's compiled JavaScript; loaders are for the worker.
        // Without NODE_OPTIONS too: a preload that fails there (a relative path after chdir) would
        // end the supervisor where only this thread's (blocked) event loop could see it.
        execArgv: [],
        env: withoutNodeOptions(),
        stdout: false,
        stderr: false,
      });
    } catch (error) {
      // Nothing would watch the loop thread: end it, and report why as its exit.
      void this.loop?.terminate();
      this.reportUnstarted(start.data.control, error, "the worker's supervisor thread could not be started");
      return;
    }
    this.supervisor.unref();
    // Normally the supervisor reports the loop's end itself; this covers the supervisor dying
    // first (seen only when this thread's event loop runs, which is why it is the fallback).
    this.supervisor.on("exit", this.onSupervisorExit);
    this.supervisor.on("error", () => {});
  }

  /**
   * A blocked caller has heard nothing from the worker for UNSUPERVISED_WAIT_MS: start the
   * supervisor, unless the loop thread is still booting and has not taken SUPERVISOR_LATE_MS.
   */
  heardNothing(): void {
    // The loop thread marks itself running in STATE once booted (worker/lifeline.ts).
    if (Atomics.load(this.shared, STATE) === WorkerState.Starting && nowMs() - this.createdAt < SUPERVISOR_LATE_MS) return;
    this.startSupervisor();
  }

  /** True once the worker has exited (any cause). Read from shared memory: valid while the caller blocks. */
  get exited(): boolean {
    return Atomics.load(this.shared, STATE) === WorkerState.Exited;
  }

  /** True once the worker's loop runs (the supervisor got its hello). Read from shared memory: valid while the caller blocks. */
  get running(): boolean {
    return Atomics.load(this.shared, STATE) === WorkerState.Running;
  }

  /**
   * SIGINTs the supervisor received that this thread has not handled (caller/wire/shutdown.ts):
   * counted from when it started watching, which is when it was started.
   */
  unhandledSignals(): number {
    if (this.signalsHandledBefore === undefined) return 0;
    return Atomics.load(this.shared, SIGNALS) - (signalsHandled() - this.signalsHandledBefore);
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
    // The exit notice comes from the supervisor (the command waits on its port if it is new).
    this.startSupervisor();
    void this.loop?.terminate();
  }

  /** Stop both threads and release the ports; resolves when both threads have ended. */
  async dispose(): Promise<void> {
    this.disposed = true;
    await Promise.all([this.loop?.terminate(), this.supervisor?.terminate()]);
    this.transport.close();
  }

  /** Stop without waiting (for synchronous disposal); the threads end shortly after. */
  disposeNow(): void {
    this.disposed = true;
    void this.loop?.terminate();
    void this.supervisor?.terminate();
    this.transport.close();
  }

  /** A thread could not be created: post the exit notice the supervisor would have posted. */
  private reportUnstarted(supervisorEnd: MessagePort, error: unknown, what = "the worker could not be started"): void {
    Atomics.store(this.shared, STATE, WorkerState.Exited);
    const notice: ControlMessage = { t: "exit", code: 1, reason: `${what} (${describeThrown(error)})`, error: encodeBareError(error) };
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
