/**
 * The worker's end of the shared-memory transport (see ring.ts for the memory, ARCHITECTURE.md
 * for the whole design).
 *
 * The worker must stay an ordinary event loop: the implementation's timers and I/O run here. So it
 * never busy-loops. After each message (received or sent) it keeps a polling window open: a
 * setImmediate chain in which each turn watches the ring for at most SLICE_MS (stepping through
 * microtasks, so that replies go out meanwhile) and then yields to the loop. When the window passes
 * with nothing new, it raises WORKER_SLEEPING and lets the event loop sleep: the caller's next
 * request comes with a wake-up message on the wake port (see caller-transport.ts for why a port).
 *
 * The window adapts like the caller's spin (spin.ts): a message that came within MAX_WINDOW_MS of
 * falling asleep restores the full window, a longer gap halves it (down to MIN_WINDOW_MS). On one
 * CPU, or on an oversubscribed machine, nothing watches: that would only steal the time slice of
 * the caller it waits for. There the worker sleeps as soon as its reply is out and every request
 * is answered, and the caller's next request wakes it with a message, as a raw worker is woken.
 * (It used to block in Atomics.wait for that request instead, woken by Atomics.notify: both sides
 * then took V8's one process-wide futex lock in turn, which on one CPU cost 7 futex calls per
 * blocking call against 4, and made a call 1.4 times as slow.)
 *
 * Background work on the worker's microtasks (a read-ahead pump producing items ahead of any
 * request) ends each slice after one look: watching between its microtasks would slow it down
 * many times, and a request that arrives meanwhile is seen at the next turn of the loop.
 */
import type { MessagePort } from "node:worker_threads";
import type { Message, TransportStats } from "../messages.js";
import type { WorkerTransport } from "../transport.js";
import { SEQ } from "../shared-state.js";
import { RingReader, RingWriter } from "./ring.js";
import { CALLER_ARMED, CALLER_WAITING, ringHeader, TO_CALLER, TO_WORKER, WORKER_SLEEPING } from "./ring-layout.js";
import { cpuCrowded } from "./spin.js";
import { nowMs } from "../clock.js";

/** The longest the worker keeps watching after the last message (the window adapts between these). */
const MAX_WINDOW_MS = 1;
const MIN_WINDOW_MS = 0.05;
/** The longest the worker watches shared memory before it lets its event loop turn. */
const SLICE_MS = 0.05;
/** The longest it looks without letting microtasks run. */
const LOOK_MS = 0.01;
/** Awaited to let one turn of microtasks run (an awaited settled promise resumes in the next microtask turn). */
const RESOLVED = Promise.resolve();
/** Looks it yields a microtask for, after the last request handled or reply posted. */
const REPLY_TICKS = 32;

export class ShmWorkerTransport implements WorkerTransport {
  private readonly header: Int32Array;
  private readonly writer: RingWriter;
  private readonly reader: RingReader;
  private handler: ((message: Message) => void) | undefined;
  private answered: () => boolean = () => false;
  /** Something was sent since the last turn: the caller is likely to answer soon. */
  private active = false;
  private lastActivity = 0;
  private windowMs = MAX_WINDOW_MS;
  /** When this thread last went to sleep. */
  private sleptAt = 0;
  private sleeping = false;
  /** A slice is running (its next look sends the caller's wake-up, see flushWake). */
  private inSlice = false;
  private wakeOwed = false;
  /** Work under way on this thread's microtasks that no request waits on (see background). */
  private backgroundWork = 0;
  private wakeMessages = 0;

  /**
   * `wakePort`: wake-up messages, both ways. It comes with the thread's start (workerData), not
   * through the ring: a worker that booted before the caller had built its side of the transport
   * (which a loaded machine makes possible: caller/host/thread-start.ts) slept with no way to be
   * woken when the port was the ring's first message.
   */
  constructor(
    data: MessagePort,
    private readonly shared: Int32Array,
    rings: SharedArrayBuffer,
    private readonly wakePort: MessagePort,
  ) {
    this.header = ringHeader(rings);
    this.writer = new RingWriter(this.header, rings, TO_CALLER, data, () => this.posted());
    this.reader = new RingReader(this.header, rings, TO_WORKER, data);
    wakePort.on("message", this.wakeMessage);
    wakePort.unref();
  }

  post(message: Message): void {
    this.writer.write(message);
  }

  postCompact(message: Message): boolean {
    return this.writer.tryWrite(message);
  }

  postCloned(message: Message): void {
    this.writer.writeToPort(message);
  }

  postStep(id: number, item: unknown): void {
    this.writer.writeStep(id, item);
  }

  /** A message went out (the writer calls this): wake the caller if it sleeps. */
  private posted(): void {
    this.active = true;
    Atomics.add(this.shared, SEQ, 1);
    // Wake only a caller that sleeps: a blocked one (CALLER_WAITING) in Atomics.wait, an idle event
    // loop (CALLER_ARMED, cleared here: one wake-up drains everything that came) with a message.
    const header = this.header;
    if (Atomics.load(header, CALLER_WAITING) !== 0) Atomics.notify(this.shared, SEQ);
    if (Atomics.load(header, CALLER_ARMED) !== 0 && Atomics.exchange(header, CALLER_ARMED, 0) !== 0) {
      // Within a slice, one wake-up at its next look covers every reply posted until then.
      if (this.inSlice) this.wakeOwed = true;
      else this.wakePort.postMessage(0);
    }
  }

  background(delta: 1 | -1): void {
    this.backgroundWork += delta;
  }

  stats(): TransportStats {
    return { kind: "shared-memory", wakeMessages: this.wakeMessages, portMessages: this.writer.portMessages };
  }

  listen(handler: (message: Message) => void, answered: () => boolean): void {
    this.handler = handler;
    this.answered = answered;
    // The worker lives until it is terminated, sleeping or not.
    setInterval(() => {}, 2 ** 30);
    this.turn();
  }

  private drain(): boolean {
    let any = false;
    for (let message = this.reader.read(); message !== undefined; message = this.reader.read()) {
      any = true;
      this.handler!(message as Message);
    }
    return any;
  }

  /** A wake-up message (or a stale one, from a burst that the last look already caught). */
  private readonly wakeMessage = (): void => {
    if (this.sleeping) this.wakeMessages++;
    this.wake();
  };

  private wake(): void {
    if (!this.sleeping) return;
    this.sleeping = false;
    Atomics.store(this.header, WORKER_SLEEPING, 0);
    const now = nowMs();
    // A message soon after the window closed means a longer window would have caught it, and
    // saved the caller a wake-up of this thread: back to the full window. Long gaps (occasional
    // calls) shrink it, so that each burst's end costs little polling.
    this.windowMs = now - this.sleptAt <= MAX_WINDOW_MS ? MAX_WINDOW_MS : Math.max(MIN_WINDOW_MS, this.windowMs / 2);
    this.lastActivity = now;
    this.turn();
  }

  /** One turn of the event loop's worth of polling: a slice, then the loop runs its timers and I/O. */
  private readonly turn = (): void => {
    void this.slice();
  };

  /**
   * Watch the ring for up to SLICE_MS, handling what arrives at once, then let the event loop turn.
   * After handling requests it lets microtasks run (awaiting one per look) for as long as replies
   * keep coming, and a few looks more: replies are posted by promise reactions, and the caller
   * should have its answer without waiting for a loop turn. Otherwise it looks without yielding
   * for up to LOOK_MS at a time, then awaits one microtask: a microtask per look would allocate
   * enough to make the collector run every few milliseconds. The caller's wake-up (for an idle
   * caller event loop) is sent once per look, for all the replies posted meanwhile.
   */
  private async slice(): Promise<void> {
    this.inSlice = true;
    let now = nowMs();
    const sliceEnd = now + SLICE_MS;
    /**
     * Whether this slice may watch: read once per slice (it changes at most every 100 ms), after its
     * first look. The first read of all loads node:os and reads /proc (0.3 ms), which the thread's
     * first request, the module's import, would otherwise wait for.
     */
    let crowded: boolean | undefined;
    let grace = 0;
    /** One CPU: a message went to the caller since the last request was handled (see below). */
    let replied = false;
    for (;;) {
      const handled = this.drain();
      crowded ??= cpuCrowded(now);
      const posted = this.active;
      this.active = false;
      if (handled || posted) {
        this.lastActivity = now;
        grace = REPLY_TICKS;
      } else if (now - this.lastActivity >= this.windowMs) {
        return this.sleep();
      }
      this.flushWake();
      if (crowded) {
        // No CPU to watch with. Let the reply go out (its promise reactions), then sleep: the
        // caller can only write its next request once it has run, and it wakes this thread then.
        if (handled) replied = posted;
        else if (posted) replied = true;
        if (this.backgroundWork > 0 || grace === 0 || (replied && !handled && this.answered())) return this.sleep();
        if (now >= sliceEnd) break;
        grace--;
        await RESOLVED;
        now = nowMs();
        continue;
      }
      // Background work (a read-ahead pump) would advance by one microtask per look: the slice
      // ends instead, the microtasks run until they wait for something, and the next turn looks.
      if (now >= sliceEnd || this.backgroundWork > 0) break;
      if (grace > 0) {
        grace--;
      } else {
        const until = Math.min(sliceEnd, now + LOOK_MS);
        while (!this.reader.ready && nowMs() < until) {
          for (let i = 0; i < 64 && !this.reader.ready; i++);
        }
      }
      await RESOLVED;
      now = nowMs();
    }
    this.endSlice();
    setImmediate(this.turn);
  }

  private endSlice(): void {
    this.inSlice = false;
    this.flushWake();
  }

  /** Send the caller's wake-up, if a reply posted during this slice found its event loop idle. */
  private flushWake(): void {
    if (!this.wakeOwed) return;
    this.wakeOwed = false;
    this.wakePort.postMessage(0);
  }

  private sleep(): void {
    this.endSlice();
    this.sleptAt = nowMs();
    // Raised before the last look: a caller that writes after this sees the flag and sends a wake-up.
    Atomics.store(this.header, WORKER_SLEEPING, 1);
    this.sleeping = true;
    if (this.reader.ready) this.wake();
  }
}
