/**
 * The read-ahead of one iterator the caller drives (iterators.ts): a background pump that keeps up
 * to N items produced in advance, and the gathering of what it made into one batch per request.
 *
 * Apart from iterators.ts because it is a machine of its own, with its own state and timing: the
 * pump outlives the request that starts it, runs in a call context of its own, and wakes a waiting
 * request by the clock or the event loop's turn. The iteration only starts it, stops it before a
 * lockstep step, and makes replies of the batches it takes.
 */
import { callStorage, callsTracked, type CallContext } from "./call-context.js";
import { untrackedPumps } from "./untracked.js";
import type { AnyIterator } from "../protocol/iterables.js";
import { settle, thenOf } from "./settling.js";
import { nowMs } from "../protocol/clock.js";

/** How a producer ended: returned (`done`) or threw. */
export type Ending = { readonly done: true; readonly value: unknown } | { readonly threw: true; readonly error: unknown };

/** What the pump reads from: the iteration it reads ahead for (RemoteIteration). */
export interface PumpSource {
  /** The handle id under which the caller holds the iteration (set once it is sent). */
  readonly id: number | undefined;
  /** The iterator, taken from the source on first use. */
  acquire(): AnyIterator;
}

/**
 * How long a bulk request may wait for a producer that keeps producing, so that one reply carries
 * many items instead of a reply per item or two (the caller consumes far faster than a generator
 * produces, so without it each request would find only the few items made since the last one).
 * A producer that stops to wait (for I/O, a timer) ends the gathering at the event loop's next
 * turn; one that reaches the read-ahead bound or ends, at once.
 */
const GATHER_MS = 0.1;

function pumpContext(parent: CallContext, iterator: number): CallContext {
  return {
    id: parent.id,
    get signal() {
      return parent.signal;
    },
    iterator,
  };
}

export class ReadAhead {
  /** Items the pump produced that no reply has carried yet. */
  private produced: unknown[] = [];
  /** How the producer ended (after the items in `produced`), until a reply carries it. */
  private ending: Ending | undefined;
  private pumping: Promise<void> | undefined;
  /** Set and cleared synchronously, unlike `pumping`, so that a pump that ends at once is seen as ended. */
  private pumpActive = false;
  private producerDone = false;
  /**
   * Items of the last bulk reply that the caller has not consumed yet (it keeps the batch and
   * hands out one item per next()). They count against the read-ahead, so that the producer is
   * never more than `readAhead` items ahead of the consumer, as the README promises. The caller
   * asks again only once its batch is used up, which brings this back to 0.
   */
  private lent = 0;
  /** A bulk request waiting for its batch (see gather). */
  private wakeConsumer: (() => void) | undefined;
  /** Until when a waiting bulk request lets a producer that keeps producing add to its batch. */
  private gatherUntil = 0;
  /** A setImmediate that ends the gathering is armed. */
  private flushArmed = false;

  constructor(
    private readonly source: PumpSource,
    /** Tells the transport when a pump runs (see WorkerTransport.background). */
    private readonly background: (delta: 1 | -1) => void,
  ) {}

  /** Whether the pump runs now. */
  get running(): boolean {
    return this.pumpActive;
  }

  /** Whether no item and no ending waits for a reply to carry it. */
  get isEmpty(): boolean {
    return this.produced.length === 0 && this.ending === undefined;
  }

  /** The items produced since the last batch was taken, handed over (the next batch starts empty). */
  takeItems(): unknown[] {
    const values = this.produced;
    this.produced = [];
    return values;
  }

  /** How the producer ended, if it has, handed over with the last batch. */
  takeEnding(): Ending | undefined {
    const ending = this.ending;
    this.ending = undefined;
    return ending;
  }

  /** Drop what was produced and not sent (the caller closed the iterator). */
  discard(): void {
    this.produced = [];
    this.ending = undefined;
  }

  /** The caller keeps `count` items of the batch just taken (0 once it asks again): they count against the read-ahead. */
  lend(count: number): void {
    this.lent = count;
  }

  /** No pump starts from now on (a lockstep step took over the iterator); one that runs stops after its current item. */
  halt(): void {
    this.producerDone = true;
  }

  /** Let the pump's current step finish and stop it (before return/throw/next(v)). */
  async stop(): Promise<void> {
    this.producerDone = true;
    if (this.pumpActive) await this.pumping;
  }

  /**
   * Wait while the pump runs, for at most GATHER_MS of items produced one after another (the pump
   * checks after each item), or until the pump stops (the read-ahead bound, the producer's end),
   * or until the event loop turns (the producer waits for something: what is there goes now).
   */
  gather(): Promise<void> {
    this.gatherUntil = nowMs() + GATHER_MS;
    const waiting = new Promise<void>((resolve) => (this.wakeConsumer = resolve));
    if (this.produced.length > 0) this.armFlush();
    return waiting;
  }

  private armFlush(): void {
    if (this.flushArmed) return;
    this.flushArmed = true;
    setImmediate(this.flush);
  }

  /**
   * The event loop turned while a bulk request waited with items at hand: they go now. (Armed only
   * once there is an item, so that waiting for a slow producer's first item costs no turn of the
   * loop: that item arms it.)
   */
  private readonly flush = (): void => {
    this.flushArmed = false;
    if (this.wakeConsumer !== undefined && (this.produced.length > 0 || this.ending !== undefined || !this.pumpActive)) this.wake();
  };

  private wake(): void {
    const wake = this.wakeConsumer;
    this.wakeConsumer = undefined;
    wake?.();
  }

  /** Start the pump, unless it runs or the producer is done. */
  start(readAhead: number): void {
    if (this.pumpActive || this.producerDone) return;
    this.pumpActive = true;
    this.background(1);
    const id = this.source.id;
    // The pump outlives the request that starts it: what it runs is attributed to this iterator
    // (see CallContext.iterator), so that a caller blocked on a later step is recognised.
    // (Before calls are tracked there is no context to extend: the pump is listed instead.)
    if (!callsTracked() && id !== undefined) untrackedPumps.add(id);
    const parent = callStorage.getStore();
    const context = id === undefined || parent === undefined ? parent : pumpContext(parent, id);
    this.pumping = context === undefined ? this.pump(readAhead) : callStorage.run(context, () => this.pump(readAhead));
  }

  /**
   * Produce items until `readAhead` are ahead of the consumer. Each result and item is awaited as
   * a lockstep step (RemoteIteration.singleStep) awaits them, but only when it is a thenable: a
   * microtask turn per await would be most of an item's cost.
   */
  private async pump(readAhead: number): Promise<void> {
    try {
      while (this.produced.length + this.lent < readAhead && !this.producerDone) {
        try {
          let result: unknown = this.source.acquire().next();
          let then = thenOf(result);
          if (then !== undefined) result = await settle(result, then);
          const done = !!(result as IteratorResult<unknown>).done;
          let value = (result as IteratorResult<unknown>).value;
          then = thenOf(value);
          if (then !== undefined) value = await settle(value, then);
          if (done) {
            this.ending = { done: true, value };
            this.producerDone = true;
          } else {
            this.produced.push(value);
          }
        } catch (error) {
          this.ending = { threw: true, error };
          this.producerDone = true;
        }
        if (this.wakeConsumer !== undefined) {
          // The clock is read every 16 items: reading it costs a good part of a small item.
          if (this.producerDone || ((this.produced.length & 15) === 0 && nowMs() >= this.gatherUntil)) this.wake();
          else if (!this.flushArmed) this.armFlush();
        }
      }
    } finally {
      this.pumpActive = false;
      const id = this.source.id;
      if (id !== undefined) untrackedPumps.delete(id);
      this.background(-1);
      this.wake();
    }
  }
}
