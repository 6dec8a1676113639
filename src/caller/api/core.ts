/**
 * The state behind one Synchronizer: its worker (started on first use, restarted after a crash
 * when allowed), the modules wrapped through it, and the three ways to make a request.
 */
import type { RequestOp, WorkerStats } from "../../protocol/messages.js";
import type { ClassShape, ModuleShape } from "../../protocol/shapes.js";
import { ClosedError, InterruptedError, WorkerExitError } from "../../errors.js";
import { setRemoteConstructor } from "../wire/classes.js";
import { remoteHooks } from "../remote/hooks.js";
import { Connection, type CallControl } from "../wire/connection.js";
import { attach, detach } from "../support/process-hooks.js";
import { afterInterruptedWait, shutdownAsync, shutdownSync } from "../wire/shutdown.js";
import { defineStatics } from "../remote/proxies.js";
import { withDefaults, type Requester } from "../remote/requester.js";
import { Future } from "../remote/future.js";
import type { PendingCall } from "../wire/pending.js";
import { loadTimeoutError } from "../wire/request-errors.js";
import { WorkerHost } from "../host/worker-host.js";
import { abandonThread, type StartedThread } from "../host/thread-start.js";
import { hostOptions } from "./options.js";
import { currentRuntime, runtimeNotes } from "./runtime-notes.js";
import type { Diagnostics, SynchronizerOptions } from "./settings.js";

const DEFAULT_LOAD_TIMEOUT_MS = 30_000;
const DEFAULT_SHUTDOWN_TIMEOUT_MS = 3_000;

type AnyClass = abstract new (...args: never[]) => unknown;

export interface ModuleEntry {
  readonly id: number;
  readonly specifier: string;
  /** Its exports are what it wraps in place (synchronizer.wrap), not its module exports. */
  readonly inPlace: boolean;
  shape: ModuleShape | undefined;
}

export class Core implements Requester {
  private host: WorkerHost | undefined;
  private connection: Connection | undefined;
  /** Imports sent to the current worker, by module id. */
  private imports = new Map<number, PendingCall>();
  private readonly modules: ModuleEntry[] = [];
  private readonly modulesBySpecifier = new Map<string, ModuleEntry>();
  /** Exported classes by "moduleId/name": the same class object for the synchronizer's lifetime. */
  private readonly exportedClasses = new Map<string, AnyClass>();
  protected closedError: ClosedError | undefined;
  protected lastExit: WorkerExitError | undefined;
  /** The `setup` module: imported in each worker before any other. */
  private readonly setupEntry: ModuleEntry | undefined;
  /** A loop thread the Synchronizer started before this core existed, for the first worker. */
  private firstThread: StartedThread | undefined;

  /**
   * `setup` is the `setup` option's module, resolved (the options hold it as given). `firstThread`,
   * if given, is the first worker's thread, already booting (see synchronizer.ts).
   */
  constructor(
    protected readonly options: SynchronizerOptions,
    setup?: string,
    firstThread?: StartedThread,
  ) {
    this.setupEntry = setup === undefined ? undefined : this.module(setup);
    this.firstThread = firstThread;
  }

  get defaultTimeoutMs(): number | undefined {
    return this.options.timeout;
  }

  get closeTimeoutMs(): number {
    return this.options.closeTimeoutMs ?? 5_000;
  }

  get closed(): boolean {
    return this.closedError !== undefined;
  }

  module(specifier: string, inPlace = false): ModuleEntry {
    // A module may be wrapped both ways: its exports (wrapModule) and its in-place table are two entries.
    const key = inPlace ? `in place: ${specifier}` : specifier;
    let entry = this.modulesBySpecifier.get(key);
    if (entry === undefined) {
      entry = { id: this.modules.length, specifier, inPlace, shape: undefined };
      this.modules.push(entry);
      this.modulesBySpecifier.set(key, entry);
    }
    return entry;
  }

  /** The module's shape, importing it in the worker (blocking) if not known yet. */
  shapeSync(entry: ModuleEntry): ModuleShape {
    if (entry.shape !== undefined) return entry.shape;
    const connection = this.connect();
    const call = this.importIn(connection, entry);
    const timeoutMs = this.options.loadTimeout ?? DEFAULT_LOAD_TIMEOUT_MS;
    const ended = connection.waitFor(call, timeoutMs);
    if (ended === "interrupted") throw new InterruptedError(`loading ${entry.specifier} was interrupted by Ctrl-C (SIGINT)`);
    if (ended !== "settled") throw connection.stop(call, loadTimeoutError(entry.specifier, timeoutMs, connection.workerRunning));
    return this.shapeFrom(call);
  }

  /** The module's shape without blocking this thread. */
  async shapeAsync(entry: ModuleEntry): Promise<ModuleShape> {
    if (entry.shape !== undefined) return entry.shape;
    const connection = this.connect();
    const call = this.importIn(connection, entry);
    const timeoutMs = this.options.loadTimeout ?? DEFAULT_LOAD_TIMEOUT_MS;
    connection.limit(call, { timeoutMs }, () => loadTimeoutError(entry.specifier, timeoutMs, connection.workerRunning));
    await call.promise().catch(() => {});
    return this.shapeFrom(call);
  }

  private shapeFrom(call: PendingCall): ModuleShape {
    const outcome = call.settled!;
    if (!outcome.ok) throw outcome.error;
    return outcome.value as ModuleShape;
  }

  /** The local class object for an exported class. */
  exportedClass(entry: ModuleEntry, name: string): AnyClass | undefined {
    return this.exportedClasses.get(`${entry.id}/${name}`);
  }

  requestSync(op: RequestOp, control?: CallControl): unknown {
    return this.connectionFor(op).requestSync(op, withDefaults(control, this.options.timeout));
  }

  requestAsync(op: RequestOp, control?: CallControl): Promise<unknown> {
    let connection: Connection;
    try {
      connection = this.connectionFor(op);
    } catch (error) {
      return Promise.reject(error);
    }
    return connection.requestAsync(op, withDefaults(control, this.options.timeout));
  }

  /** The live connection, ready for `op` (its module imported in this worker). */
  connectionFor(op: RequestOp): Connection {
    const connection = this.connect();
    this.prepare(connection, op);
    return connection;
  }

  requestFuture<T>(op: RequestOp, control?: CallControl): Future<T> {
    return Future.start<T>(this.connectionFor(op), op, withDefaults(control, this.options.timeout));
  }

  /** The live connection, starting the worker if needed. */
  protected connect(): Connection {
    if (this.closedError) throw new ClosedError(this.closedError.message);
    if (this.connection !== undefined && this.connection.exited === undefined) return this.connection;
    this.checkRestart();
    const { host, connection } = this.startWorker(() => {});
    this.host = host;
    this.connection = connection;
    this.imports = new Map();
    return connection;
  }

  /** After a worker died with `restart: false`, no new worker starts: throw the reason. */
  protected checkRestart(): void {
    if (this.lastExit !== undefined && this.options.restart === false) {
      throw new WorkerExitError(`the worker stopped earlier and restart is off (${this.lastExit.message})`, {
        cause: this.lastExit,
        ...(this.lastExit.exitCode !== undefined && { exitCode: this.lastExit.exitCode }),
      });
    }
  }

  /** Start a worker (its supervisor thread) and its connection; `onExit` runs once it has died. */
  protected startWorker(onExit: (connection: Connection) => void): { host: WorkerHost; connection: Connection } {
    const started = this.firstThread;
    this.firstThread = undefined;
    const host = new WorkerHost(hostOptions(this.options), (code) => connection.supervisorExited(code), started);
    const connection: Connection = new Connection(host, {
      closeTimeoutMs: this.closeTimeoutMs,
      defaultTimeoutMs: this.options.timeout,
      shutdownTimeoutMs: this.options.shutdownTimeout ?? DEFAULT_SHUTDOWN_TIMEOUT_MS,
      terminateOnTimeout: this.options.terminateOnTimeout ?? false,
      blockingWarningMs: this.options.blockingWarningMs,
    }, (error) => {
      this.lastExit = error;
      detach(connection);
      host.disposeNow();
      onExit(connection);
    }, remoteHooks);
    attach(connection);
    return { host, connection };
  }

  /** Requests on a module must follow its import in the same worker: import it first if needed. */
  protected prepare(connection: Connection, op: RequestOp): void {
    const target = "target" in op ? op.target : undefined;
    if (target !== undefined && "module" in target) {
      const entry = this.modules[target.module];
      if (entry !== undefined) this.importIn(connection, entry);
    }
  }

  protected importIn(connection: Connection, entry: ModuleEntry): PendingCall {
    return this.importWith(connection, this.imports, entry);
  }

  /** Import `entry` in the worker of `connection`, once (`imports`: what that worker was sent). */
  protected importWith(connection: Connection, imports: Map<number, PendingCall>, entry: ModuleEntry): PendingCall {
    let call = imports.get(entry.id);
    if (call === undefined) {
      // The set-up module goes first; the worker makes every later import wait for it (worker/modules.ts).
      const setup = this.setupEntry;
      if (setup !== undefined && setup !== entry && !imports.has(setup.id)) this.importWith(connection, imports, setup);
      const setupFlag = entry === setup && { setup: true as const };
      call = connection.send({ op: "import", module: entry.id, specifier: entry.specifier, ...(entry.inPlace && { inPlace: true as const }), ...setupFlag }, false);
      imports.set(entry.id, call);
      call.onSettle((outcome) => {
        if (!outcome.ok) return;
        const shape = outcome.value as ModuleShape;
        this.linkClasses(connection, entry, shape);
        entry.shape ??= shape;
      });
    }
    return call;
  }

  /** Bind the worker's class ids for exported classes to the class objects the user holds. */
  private linkClasses(connection: Connection, entry: ModuleEntry, shape: ModuleShape): void {
    for (const [name, exported] of Object.entries(shape.exports)) {
      if (exported.kind !== "class") continue;
      const key = `${entry.id}/${name}`;
      const existing = this.exportedClasses.get(key);
      if (existing !== undefined) {
        connection.classes.bind(exported.cls, existing);
      } else {
        const created = connection.classes.get(exported.cls);
        const classShape = connection.classes.shape(exported.cls);
        if (created !== undefined && classShape !== undefined) this.adoptClass(entry, name, created, classShape);
      }
    }
  }

  /**
   * Make `cls` the class object of export `name` for this synchronizer's lifetime: `new` and its
   * static members go to the worker. Classes wrapped in place come here before any worker exists.
   */
  adoptClass(entry: ModuleEntry, name: string, cls: AnyClass, shape: ClassShape): void {
    this.exportedClasses.set(`${entry.id}/${name}`, cls);
    const target = { module: entry.id, name };
    setRemoteConstructor(cls, (args) => this.requestSync({ op: "construct", target, args }) as object);
    if (shape.error === null) defineStatics(cls, shape, this, target);
  }

  async diagnostics(): Promise<Diagnostics> {
    const connection = this.connection;
    const runtime = currentRuntime();
    if (connection === undefined || connection.exited) {
      return { worker: undefined, caller: { pendingCalls: 0, handles: 0, callbacks: 0 }, signals: undefined, runtime, notes: runtimeNotes(undefined, this.options.resourceLimits !== undefined) };
    }
    const worker = (await connection.requestAsync({ op: "stats" })) as WorkerStats;
    // Once the supervisor runs (this starts it if need be), `signals` says how Ctrl-C reaches a
    // blocked caller, and from then on it does.
    await connection.supervisorReady();
    return {
      worker,
      caller: { pendingCalls: connection.pendingCount, handles: connection.refs.size, callbacks: connection.callbacks.size },
      signals: connection.signals,
      runtime,
      notes: runtimeNotes(connection.signals, this.options.resourceLimits !== undefined),
    };
  }

  /**
   * Calls in flight fail at once with a ClosedError; the worker then aborts their tasks, closes
   * open iterators and disposes the objects still held (bounded by shutdownTimeout), and both
   * threads are terminated: no work goes on once this resolves.
   */
  async close(): Promise<void> {
    const stopping = this.shutDown();
    if (stopping === undefined) return;
    await shutdownAsync(stopping.connection);
    stopping.connection.closeWith(this.closedError!);
    await stopping.host.dispose();
  }

  /** close() for `using`: the same, blocking. */
  closeNow(): void {
    const stopping = this.shutDown();
    if (stopping === undefined) return;
    const completed = shutdownSync(stopping.connection);
    stopping.connection.closeWith(this.closedError!);
    stopping.host.disposeNow();
    if (!completed) afterInterruptedWait();
  }

  /** Mark closed and fail the calls in flight; returns what is left to stop, if a worker runs. */
  private shutDown(): { connection: Connection; host: WorkerHost } | undefined {
    if (this.closedError) return undefined;
    this.closedError = new ClosedError("the synchronizer is closed");
    if (this.firstThread !== undefined) abandonThread(this.firstThread);
    this.firstThread = undefined;
    const { connection, host } = this;
    this.host = undefined;
    this.connection = undefined;
    if (connection === undefined || host === undefined) return undefined;
    detach(connection);
    connection.failAll(new ClosedError("the synchronizer was closed while this call was in flight"));
    return { connection, host };
  }
}

