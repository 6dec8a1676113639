/**
 * A Synchronizer with several workers (option `threads`). Each worker is what a one-thread
 * synchronizer has (its supervisor, connection and imports: a "slot"); this layer chooses one per
 * stateless call and leaves everything else to the connection it chose:
 *
 * - Stateless calls (module functions, `new`, static members, generator starts) go to the worker
 *   with the fewest calls in flight; a new worker starts only when every running one is busy, up
 *   to `max`. None starts before the first call.
 * - Objects and iterators are proxies that hold their own connection (proxies.ts, iterators.ts),
 *   so their methods, property reads, steps and disposal go to their worker without this layer.
 *   A stateless call whose arguments hold such objects goes to their worker (owners.ts).
 * - The queue is the connections' own pending calls: a call is refused (QueueFullError) when the
 *   pool already has `max + maxQueue` in flight. Failing fast rather than waiting: a blocking
 *   caller could only wait by blocking on one worker's replies while the others' pile up unread.
 * - A worker above `min` with nothing on it (no call, object, iterator or callback) for
 *   `idleTimeoutMs` is stopped; a worker that dies is dropped, and the next call that needs one
 *   starts a fresh one. Its objects fail with ReferenceLostError; other workers' objects live on.
 */
import type { RequestOp, WorkerStats } from "../../../protocol/messages.js";
import { ClosedError, QueueFullError } from "../../../errors.js";
import { Core, type ModuleEntry } from "../core.js";
import type { Diagnostics, SynchronizerOptions } from "../settings.js";
import type { Connection } from "../../wire/connection.js";
import type { PendingCall } from "../../wire/pending.js";
import type { WorkerHost } from "../../host/worker-host.js";
import { detach } from "../../support/process-hooks.js";
import { afterInterruptedWait, shutdownAsync, startShutdown } from "../../wire/shutdown.js";
import { currentRuntime, runtimeNotes } from "../runtime-notes.js";
import { ownerOf } from "./owners.js";
import { nowMs } from "../../../protocol/clock.js";

const DEFAULT_IDLE_TIMEOUT_MS = 10_000;

/** One worker of the pool. */
interface Slot {
  readonly host: WorkerHost;
  readonly connection: Connection;
  /** Imports sent to this worker, by module id. */
  readonly imports: Map<number, PendingCall>;
  /** When it last had something to do (nowMs()). */
  lastActive: number;
  /** diagnostics() requests in flight: the library's own, they do not keep a worker from idling. */
  statsPending: number;
}

export class PoolCore extends Core {
  private readonly slots: Slot[] = [];
  private readonly byConnection = new Map<Connection, Slot>();
  private readonly max: number;
  private readonly min: number;
  private readonly idleTimeoutMs: number;
  private readonly maxQueue: number;
  private sweeper: NodeJS.Timeout | undefined;

  constructor(options: SynchronizerOptions, setup?: string) {
    super(options, setup);
    const threads = typeof options.threads === "number" ? { max: options.threads } : options.threads!;
    this.max = threads.max;
    this.min = Math.min(threads.min ?? 1, threads.max);
    this.idleTimeoutMs = threads.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    this.maxQueue = threads.maxQueue ?? Infinity;
  }

  /** For module loading: any worker will do. */
  protected override connect(): Connection {
    return this.pick().connection;
  }

  override connectionFor(op: RequestOp): Connection {
    if (this.closedError) throw new ClosedError(this.closedError.message);
    const owner = "args" in op ? ownerOf(op.args) : undefined;
    this.checkQueue();
    const slot = (owner !== undefined ? this.byConnection.get(owner) : undefined) ?? this.pick();
    slot.lastActive = nowMs();
    this.prepare(slot.connection, op);
    return slot.connection;
  }

  protected override importIn(connection: Connection, entry: ModuleEntry): PendingCall {
    const imports = this.byConnection.get(connection)?.imports ?? new Map<number, PendingCall>();
    return this.importWith(connection, imports, entry);
  }

  /** The idlest running worker, or a new one when all are busy and the pool may grow. */
  private pick(): Slot {
    if (this.closedError) throw new ClosedError(this.closedError.message);
    let best: Slot | undefined;
    for (const slot of this.slots) {
      if (best === undefined || slot.connection.pendingCount < best.connection.pendingCount) best = slot;
    }
    if (best !== undefined && (best.connection.pendingCount === 0 || this.slots.length >= this.max || this.noReplacements())) return best;
    return this.addSlot();
  }

  /** With `restart: false`, no worker starts once one has died: the pool goes on with those left. */
  private noReplacements(): boolean {
    return this.lastExit !== undefined && this.options.restart === false;
  }

  private addSlot(): Slot {
    this.checkRestart();
    const { host, connection } = this.startWorker((dead) => this.drop(dead));
    const slot: Slot = { host, connection, imports: new Map(), lastActive: nowMs(), statsPending: 0 };
    this.slots.push(slot);
    this.byConnection.set(connection, slot);
    if (this.slots.length > this.min) this.watchIdle();
    return slot;
  }

  /** A worker died: forget it (Core's exit handler has released its threads). */
  private drop(connection: Connection): void {
    const slot = this.byConnection.get(connection);
    if (slot === undefined) return;
    this.byConnection.delete(connection);
    this.slots.splice(this.slots.indexOf(slot), 1);
  }

  private checkQueue(): void {
    if (this.maxQueue === Infinity) return;
    let inFlight = 0;
    for (const slot of this.slots) {
      inFlight += slot.connection.pendingCount;
      // A worker's module imports and diagnostics() figures are the library's own requests, not
      // calls: they do not count.
      inFlight -= slot.statsPending;
      for (const call of slot.imports.values()) if (call.settled === undefined) inFlight--;
    }
    if (inFlight >= this.max + this.maxQueue) {
      throw new QueueFullError(
        `the pool is full: ${inFlight} calls are in flight on at most ${this.max} workers (threads.max) with threads.maxQueue ${this.maxQueue}; the call was not sent. Wait for calls to finish, or raise threads.maxQueue`,
      );
    }
  }

  /** Check for idle workers now and then, while there are more than `min`. */
  private watchIdle(): void {
    if (this.sweeper !== undefined || this.idleTimeoutMs === Infinity) return;
    const period = Math.max(10, Math.min(this.idleTimeoutMs / 4, 1000));
    this.sweeper = setInterval(() => this.retireIdle(), period);
    this.sweeper.unref();
  }

  private retireIdle(): void {
    const now = nowMs();
    // Newest first: the first worker, which blocking calls use, stays.
    for (let i = this.slots.length - 1; i >= 0 && this.slots.length > this.min; i--) {
      const slot = this.slots[i]!;
      const { connection } = slot;
      if (connection.pendingCount > slot.statsPending || connection.refs.size > 0 || connection.callbacks.size > 0) {
        slot.lastActive = now;
      } else if (slot.statsPending === 0 && now - slot.lastActive >= this.idleTimeoutMs) {
        // (One answering diagnostics() is idle, but stopped at the next sweep: not under that request.)
        this.drop(connection);
        detach(connection);
        connection.closeWith(new ClosedError("this worker of the pool was stopped after being idle"));
        void slot.host.dispose();
      }
    }
    if (this.slots.length <= this.min) {
      clearInterval(this.sweeper);
      this.sweeper = undefined;
    }
  }

  override async diagnostics(): Promise<Diagnostics> {
    const slots = this.slots.filter((slot) => slot.connection.exited === undefined);
    const runtime = currentRuntime();
    const stats = await Promise.all(
      slots.map(async (slot) => {
        slot.statsPending++;
        try {
          const stats = (await slot.connection.requestAsync({ op: "stats" })) as WorkerStats;
          await slot.connection.supervisorReady(); // as in Synchronizer.diagnostics
          return stats;
        } finally {
          slot.statsPending--;
        }
      }),
    );
    const sum = (pick: (slot: Slot) => number) => slots.reduce((total, slot) => total + pick(slot), 0);
    const total = (pick: (worker: WorkerStats) => number) => stats.reduce((sum, worker) => sum + pick(worker), 0);
    const signals = slots[0]?.connection.signals;
    return {
      worker: stats.length === 0 ? undefined : {
        handles: total((s) => s.handles),
        running: total((s) => s.running),
        heapUsed: total((s) => s.heapUsed),
        transport: {
          kind: stats[0]!.transport.kind,
          wakeMessages: total((s) => s.transport.wakeMessages),
          portMessages: total((s) => s.transport.portMessages),
        },
      },
      caller: {
        pendingCalls: sum((slot) => slot.connection.pendingCount),
        handles: sum((slot) => slot.connection.refs.size),
        callbacks: sum((slot) => slot.connection.callbacks.size),
      },
      signals,
      runtime,
      notes: runtimeNotes(signals, this.options.resourceLimits !== undefined),
      pool: { workers: stats.length, perWorker: stats, max: this.max, min: this.min },
    };
  }

  override async close(): Promise<void> {
    const slots = this.shutDownAll();
    await Promise.all(
      slots.map(async ({ connection, host }) => {
        await shutdownAsync(connection);
        connection.closeWith(this.closedError!);
        await host.dispose();
      }),
    );
  }

  override closeNow(): void {
    const slots = this.shutDownAll();
    // Every worker's cleanup starts first, so they run at the same time; one bounded wait in all.
    const waits = slots.map((slot) => startShutdown(slot.connection));
    let completed = true;
    for (const wait of waits) {
      if (wait !== undefined && !wait()) {
        completed = false;
        break;
      }
    }
    for (const { connection, host } of slots) {
      connection.closeWith(this.closedError!);
      host.disposeNow();
    }
    if (!completed) afterInterruptedWait();
  }

  /** Mark closed and fail the calls in flight; returns the workers left to stop (none the second time). */
  private shutDownAll(): Slot[] {
    if (this.closedError) return [];
    this.closedError = new ClosedError("the synchronizer is closed");
    clearInterval(this.sweeper);
    this.sweeper = undefined;
    const slots = this.slots.splice(0);
    this.byConnection.clear();
    for (const { connection } of slots) {
      detach(connection);
      connection.failAll(new ClosedError("the synchronizer was closed while this call was in flight"));
    }
    return slots;
  }
}
