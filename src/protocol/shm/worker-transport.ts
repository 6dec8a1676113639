/**
 * The worker's end of the shared-memory transport (see ring.ts for the memory, ARCHITECTURE.md
 * for the whole design).
 *
 * The worker must stay an ordinary event loop: the implementation's timers and I/O run here. So it
 * never busy-loops. After each message (received or sent) it keeps a polling window open: a
 * setImmediate chain in which each turn watches the ring for at most SLICE_MS (stepping through
 * microtasks, so that replies go out meanwhile) and then yields to the loop. When the window passes with nothing new, it sleeps in Atomics.waitAsync on the ring's
 * SENT counter, after raising WORKER_SLEEPING, so that the caller knows to notify it.
 *
 * The window adapts like the caller's spin (spin.ts): a message that came within MAX_WINDOW_MS of
 * falling asleep restores the full window, a longer gap halves it (down to MIN_WINDOW_MS). On one
 * CPU, or on an oversubscribed machine, there is no window: watching would only steal the time
 * slice of the caller it waits for.
 */
import type { MessagePort } from "node:worker_threads";
import type { Message } from "../messages.js";
import type { WorkerTransport } from "../transport.js";
import { SEQ } from "../shared-state.js";
import { CALLER_ARMED, CALLER_WAITING, RingReader, RingWriter, ringHeader, sentSlot, TO_CALLER, TO_WORKER, WORKER_SLEEPING } from "./ring.js";
import { cpuCrowded } from "./spin.js";
import { waitAsync } from "./wait-async.js";

/** The longest the worker keeps watching after the last message (the window adapts between these). */
const MAX_WINDOW_MS = 1;
const MIN_WINDOW_MS = 0.05;
/** The longest the worker watches shared memory before it lets its event loop turn. */
const SLICE_MS = 0.05;

export class ShmWorkerTransport implements WorkerTransport {
  private readonly header: Int32Array;
  private readonly writer: RingWriter;
  private readonly reader: RingReader;
  private handler: ((message: Message) => void) | undefined;
  /** Something was sent since the last turn: the caller is likely to answer soon. */
  private active = false;
  private lastActivity = 0;
  private windowMs = MAX_WINDOW_MS;
  /** When this thread last went to sleep. */
  private sleptAt = 0;

  constructor(
    data: MessagePort,
    private readonly shared: Int32Array,
    rings: SharedArrayBuffer,
  ) {
    this.header = ringHeader(rings);
    this.writer = new RingWriter(this.header, rings, TO_CALLER, data);
    this.reader = new RingReader(this.header, rings, TO_WORKER, data);
  }

  post(message: Message): void {
    this.writer.write(message);
    this.active = true;
    Atomics.add(this.shared, SEQ, 1);
    // Notify only a caller that sleeps: a blocked one (CALLER_WAITING), or an idle event loop whose
    // waitAsync is armed (CALLER_ARMED, cleared here since one notification settles it).
    const header = this.header;
    if (Atomics.load(header, CALLER_WAITING) !== 0 || (Atomics.load(header, CALLER_ARMED) !== 0 && Atomics.exchange(header, CALLER_ARMED, 0) !== 0)) {
      Atomics.notify(this.shared, SEQ);
    }
  }

  listen(handler: (message: Message) => void): void {
    this.handler = handler;
    // Atomics.waitAsync does not keep a thread alive; the worker lives until it is terminated.
    setInterval(() => {}, 2 ** 30);
    this.wake();
  }

  private drain(): boolean {
    let any = false;
    for (let message = this.reader.read(); message !== undefined; message = this.reader.read()) {
      any = true;
      this.handler!(message as Message);
    }
    return any;
  }

  private readonly wake = (): void => {
    Atomics.store(this.header, WORKER_SLEEPING, 0);
    const now = performance.now();
    // A message soon after the window closed means a longer window would have caught it, and
    // saved the caller a wake-up of this thread: back to the full window. Long gaps (occasional
    // calls) shrink it, so that each burst's end costs little polling.
    this.windowMs = now - this.sleptAt <= MAX_WINDOW_MS ? MAX_WINDOW_MS : Math.max(MIN_WINDOW_MS, this.windowMs / 2);
    this.lastActivity = now;
    this.turn();
  };

  /** One turn of the event loop's worth of polling: a slice, then the loop runs its timers and I/O. */
  private readonly turn = (): void => {
    void this.slice();
  };

  /**
   * Watch the ring for up to SLICE_MS, handling what arrives at once. Between two looks it awaits
   * one microtask, not a loop turn: the replies of what it just handled (posted by promise
   * reactions) go out within a few looks, and the next request of a caller that answers in a
   * microsecond is caught without the cost of a loop turn (an epoll call) in between.
   */
  private async slice(): Promise<void> {
    let now = performance.now();
    const sliceEnd = now + SLICE_MS;
    for (;;) {
      if (this.drain() || this.active) {
        this.active = false;
        this.lastActivity = now;
        if (cpuCrowded(now)) return this.sleep();
      } else if (now - this.lastActivity >= this.windowMs || cpuCrowded(now)) {
        return this.sleep();
      }
      if (now >= sliceEnd) break;
      for (let i = 0; i < 64 && !this.reader.ready; i++);
      await null;
      now = performance.now();
    }
    setImmediate(this.turn);
  }

  private sleep(): void {
    this.sleptAt = performance.now();
    // Raised before the last look: a caller that writes after this sees the flag and notifies.
    Atomics.store(this.header, WORKER_SLEEPING, 1);
    const result = waitAsync(this.header, sentSlot(TO_WORKER), this.reader.count);
    if (result.async) void result.value.then(this.wake);
    else this.wake();
  }
}
