/**
 * The transport: how messages move between a caller thread and the worker, and how a blocked
 * caller is woken. Everything above this file speaks in Messages only, so that a faster transport
 * (messages encoded into shared memory) can replace this one without touching the call logic.
 *
 * This implementation uses two MessagePorts (data and control) plus the shared Int32Array of
 * shared-state.ts. A caller that must block reads the wake-up counter, polls its ports with
 * receiveMessageOnPort (which needs no event loop), and sleeps in Atomics.wait only when nothing
 * was there. The worker bumps the counter after each post.
 */
import type { MessagePort } from "node:worker_threads";
import { workerThreads } from "../builtins.js";
import { oneItemStepReply, type ControlMessage, type Message, type TransportStats } from "./messages.js";
import { SEQ, wakeCaller } from "./shared-state.js";
import { CallerSharedState } from "./caller-shared-state.js";

export type Incoming = Message | ControlMessage;

/** The caller's end. */
export interface CallerTransport {
  /** Send a message to the worker. Throws what structured clone throws; nothing is sent then. */
  post(message: Message): void;
  /**
   * Post `message` only if it goes without structured clone, the compact encoding of the
   * shared-memory ring taking it whole (shm/codec.ts): true if posted; false, with nothing sent,
   * for anything else and on a transport without one. That encoding reads each value once and
   * refuses whatever the scan of values.ts would turn into a marker, so a sender may try it before
   * that scan and skip the scan for plain data.
   */
  postCompact(message: Message): boolean;
  /** Post by structured clone a message that postCompact refused as it is. */
  postCloned(message: Message): void;
  /** Take the next waiting message, if any, without blocking. */
  poll(): Incoming | undefined;
  /** A token to pass to `wait`, read *before* polling, so that a message arriving between poll and wait is not missed. */
  epoch(): number;
  /**
   * Block this thread until something may have arrived since `epoch` (true), or `timeoutMs` passed
   * with nothing (false).
   */
  wait(epoch: number, timeoutMs: number): boolean;
  /** Deliver messages as events while this thread's event loop runs (for async calls). */
  listen(handler: (message: Incoming) => void): void;
  /** Keep the event loop alive while async calls are pending, and let it end when none are. */
  keepAlive(active: boolean): void;
  /** This thread starts (or stops) blocking: a signal arriving meanwhile must interrupt it. */
  blocking(delta: 1 | -1): void;
  /** Whether a signal interrupted the blocked thread since the last call (clears the flag). */
  takeInterrupt(): boolean;
  /** How many SIGINT listeners the user has installed (0: Ctrl-C must end the process). */
  setSignalListeners(count: number): void;
  close(): void;
}

/** The worker's end. */
export interface WorkerTransport {
  post(message: Message): void;
  /**
   * Post `message` only if it goes without structured clone, the compact encoding of the
   * shared-memory ring taking it whole (shm/codec.ts): true if posted; false, with nothing sent,
   * for anything else and on a transport without one. That encoding reads each value once and
   * refuses whatever the scan of values.ts would turn into a marker, so a sender may try it before
   * that scan and skip the scan for plain data.
   */
  postCompact(message: Message): boolean;
  /** Post by structured clone a message that postCompact refused as it is. */
  postCloned(message: Message): void;
  /** Post `oneItemStepReply(id, item)` (messages.ts): `item` must be a primitive. */
  postStep(id: number, item: unknown): void;
  /**
   * Deliver the caller's messages to `handler`. `answered()` tells whether every request handed to
   * it so far has been answered: a transport that may not watch for the next message (one CPU)
   * then lets this thread sleep at once, since nothing else it runs can be what the caller waits for.
   */
  listen(handler: (message: Message) => void, answered: () => boolean): void;
  /**
   * Work that runs on this thread's microtasks without a request waiting for it (a read-ahead
   * pump) begins (+1) or ends (-1). While there is any, a transport that polls must not hold the
   * thread in its polling loop: the work would advance one microtask per look.
   */
  background(delta: 1 | -1): void;
  /** How messages have reached this thread and left it (diagnostics().worker.transport). */
  stats(): TransportStats;
}

/** How long a blocked caller spins before it sleeps: a hand-off inside this window avoids a futex round trip. */
const SPIN_ITERATIONS = 2_000;

export class PortCallerTransport extends CallerSharedState implements CallerTransport {
  constructor(
    private readonly data: MessagePort,
    private readonly control: MessagePort,
    shared: Int32Array,
  ) {
    super(shared);
  }

  post(message: Message): void {
    this.data.postMessage(message);
  }

  /** This transport has no compact encoding: everything goes by structured clone. */
  postCompact(): boolean {
    return false;
  }

  postCloned(message: Message): void {
    this.post(message);
  }

  poll(): Incoming | undefined {
    // Control first: after an exit notice nothing more will come on the data port.
    const { receiveMessageOnPort } = workerThreads();
    const control = receiveMessageOnPort(this.control);
    if (control !== undefined) return control.message as ControlMessage;
    const data = receiveMessageOnPort(this.data);
    return data === undefined ? undefined : (data.message as Message);
  }

  wait(epoch: number, timeoutMs: number): boolean {
    for (let i = 0; i < SPIN_ITERATIONS; i++) {
      if (Atomics.load(this.shared, SEQ) !== epoch) return true;
    }
    return Atomics.wait(this.shared, SEQ, epoch, timeoutMs === Infinity ? undefined : Math.max(0, timeoutMs)) !== "timed-out";
  }

  listen(handler: (message: Incoming) => void): void {
    this.data.on("message", handler);
    this.control.on("message", handler);
    // A message that cannot be deserialized must not vanish: the connection decides what fails.
    this.data.on("messageerror", (error) => handler({ t: "undeliverable", error }));
    // Listening refs a port; whether the loop stays alive is decided by keepAlive alone.
    this.data.unref();
    this.control.unref();
  }

  keepAlive(active: boolean): void {
    if (active) {
      this.data.ref();
      this.control.ref();
    } else {
      this.data.unref();
      this.control.unref();
    }
  }

  close(): void {
    this.data.close();
    this.control.close();
  }
}

export class PortWorkerTransport implements WorkerTransport {
  constructor(
    private readonly data: MessagePort,
    private readonly shared: Int32Array,
  ) {}

  post(message: Message): void {
    this.data.postMessage(message);
    wakeCaller(this.shared);
  }

  /** This transport has no compact encoding: everything goes by structured clone. */
  postCompact(): boolean {
    return false;
  }

  postCloned(message: Message): void {
    this.post(message);
  }

  postStep(id: number, item: unknown): void {
    this.post(oneItemStepReply(id, item));
  }

  listen(handler: (message: Message) => void): void {
    this.data.on("message", handler);
    // A request that cannot be deserialized has no readable id: the caller is told, and fails
    // the calls it has pending rather than leave one of them waiting forever.
    this.data.on("messageerror", (error) => handler({ t: "req", id: 0, op: "undeliverable", reason: error instanceof Error ? error.message : String(error) }));
  }

  background(): void {
    // Messages come as events: nothing here holds the thread.
  }

  stats(): TransportStats {
    return { kind: "port", wakeMessages: 0, portMessages: 0 };
  }
}
