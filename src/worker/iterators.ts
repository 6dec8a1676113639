/**
 * Iterators the caller drives from the other thread: generators (async and sync), async
 * iterables such as ReadableStream, and plain objects with an iteration protocol.
 *
 * By default every step is one request: the caller asks, the worker advances the iterator by one,
 * and replies. Producer and consumer interleave strictly. With read-ahead N, a background pump keeps
 * up to N items produced in advance and each reply carries everything buffered, so bulk iteration
 * costs one round trip per batch instead of one per item.
 */
import type { IteratorStep, StepReply } from "../protocol/messages.js";
import { callStorage, callsTracked, type CallContext } from "./call-context.js";
import { untrackedPumps } from "./untracked.js";
import { isAsyncIteratorLike, isIteratorLike, type AnyIterator } from "../protocol/iterables.js";
import { settle, thenOf, whenSettled } from "./settling.js";

// Both sides tell iterators apart the same way (the caller lends its own): the test is in protocol/.
export { isAsyncIteratorLike, isIteratorLike };


/** How a producer ended: returned (`done`) or threw. */
type Ending = { readonly done: true; readonly value: unknown } | { readonly threw: true; readonly error: unknown };

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

export class RemoteIteration {
  /** The handle id under which the caller holds this iteration (set once it is sent). */
  id: number | undefined;
  private iterator: AnyIterator | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  /** Steps queued or running: none means a lockstep next() may run at once (see nextNow). */
  private pending = 0;
  private finished = false;
  // Read-ahead state.
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
    private readonly source: object,
    private readonly onFinish: () => void,
    /** Tells the transport when a pump runs (see WorkerTransport.background). */
    private readonly background: (delta: 1 | -1) => void = () => {},
  ) {}

  get isFinished(): boolean {
    return this.finished;
  }

  /** One step, queued behind earlier steps on the same iterator. */
  step(how: IteratorStep, value: unknown, readAhead: number): Promise<StepReply> {
    this.pending++;
    const result = this.queue.then(() => (readAhead > 0 && how === "next" ? this.bulkNext(readAhead) : this.singleStep(how, value)));
    this.queue = result.then(this.stepEnded, this.stepEnded);
    return result;
  }

  private readonly stepEnded = (): void => {
    this.pending--;
  };

  /** Whether a lockstep next() may be taken at once (nextNow): no step queued or running, no pump. */
  get canStepNow(): boolean {
    return this.pending === 0 && !this.pumpActive && !this.finished;
  }

  /**
   * A lockstep `next(value)` taken at once, when no other step is queued or running and no pump
   * runs: what `step("next", value, 0)` does, without the queue's and the async function's
   * microtask turns. `reply` gets the step's reply, exactly once: before this returns `true` when
   * the iterator's next() gave a settled result with a settled value (a sync generator), otherwise
   * later, and the returned promise settles once it has. Only when `canStepNow`; `reply` must not
   * throw.
   */
  nextNow(value: unknown, reply: (reply: StepReply) => void): true | Promise<void> {
    this.producerDone = true; // as singleStep's stopPump: no pump starts after a lockstep step
    let replied = false;
    let ended: (() => void) | undefined;
    const deliver = (stepReply: StepReply): void => {
      replied = true;
      reply(stepReply);
      if (ended !== undefined) {
        this.pending--;
        ended();
      }
    };
    const fail = (error: unknown): void => {
      this.finish();
      deliver({ values: [], threw: true, error });
    };
    const yielded = (item: unknown): void => deliver({ values: [item] });
    const returned = (item: unknown): void => deliver({ values: [], done: true, returned: item });
    // The steps of singleStep's `next`: the result awaited, `done` read, the finish, the value awaited.
    const onResult = (settled: unknown): void => {
      let done: boolean;
      let item: unknown;
      try {
        const result = settled as IteratorResult<unknown>;
        done = !!result.done;
        if (done) this.finish();
        item = result.value;
      } catch (error) {
        fail(error);
        return;
      }
      whenSettled(item, done ? returned : yielded, fail);
    };
    let result: unknown;
    try {
      result = this.acquire().next(value);
    } catch (error) {
      fail(error);
      return true;
    }
    whenSettled(result, onResult, fail);
    if (replied) return true;
    // Still running: later steps queue behind this one.
    this.pending++;
    const settled = new Promise<void>((resolve) => (ended = resolve));
    this.queue = settled;
    return settled;
  }

  /** Close the iterator (caller let go of it, or shutdown); never throws. */
  async close(): Promise<void> {
    if (this.finished) return;
    await this.step("return", undefined, 0).catch(() => {});
  }

  private acquire(): AnyIterator {
    if (this.iterator === undefined) {
      const source = this.source as Record<symbol, unknown> & AnyIterator;
      if (typeof source.next === "function") this.iterator = source;
      else if (typeof source[Symbol.asyncIterator] === "function") this.iterator = (source[Symbol.asyncIterator] as () => AnyIterator).call(source);
      else this.iterator = (source[Symbol.iterator] as () => AnyIterator).call(source);
    }
    return this.iterator;
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.onFinish();
  }

  private async singleStep(how: IteratorStep, value: unknown): Promise<StepReply> {
    if (this.finished) {
      if (how === "throw") return { values: [], threw: true, error: value };
      return { values: [], done: true, returned: how === "return" ? value : undefined };
    }
    await this.stopPump();
    try {
      const iterator = this.acquire();
      let result: IteratorResult<unknown>;
      if (how === "next") {
        result = (await iterator.next(value)) as IteratorResult<unknown>;
      } else if (how === "return") {
        this.produced = [];
        this.ending = undefined;
        result = (typeof iterator.return === "function" ? await iterator.return(value) : { done: true, value }) as IteratorResult<unknown>;
      } else {
        if (typeof iterator.throw !== "function") {
          // An iterator without throw(): close it, then the error surfaces (like for...of does).
          if (typeof iterator.return === "function") await iterator.return();
          this.finish();
          return { values: [], threw: true, error: value };
        }
        result = (await iterator.throw(value)) as IteratorResult<unknown>;
      }
      if (result.done) {
        this.finish();
        return { values: [], done: true, returned: await result.value };
      }
      return { values: [await result.value] };
    } catch (error) {
      this.finish();
      return { values: [], threw: true, error };
    }
  }

  private async bulkNext(readAhead: number): Promise<StepReply> {
    if (this.finished && this.produced.length === 0 && this.ending === undefined) return { values: [], done: true };
    this.lent = 0;
    this.startPump(readAhead);
    if (this.pumpActive) await this.gather();
    const values = this.produced;
    const ending = this.ending;
    this.produced = [];
    this.ending = undefined;
    if (ending !== undefined) {
      this.finish();
      return "threw" in ending ? { values, threw: true, error: ending.error } : { values, done: true, returned: ending.value };
    }
    if (values.length === 0) return { values, done: true }; // the pump stopped without an item (cannot happen)
    // The caller takes one item now and keeps the rest for its next steps.
    this.lent = values.length - 1;
    this.startPump(readAhead);
    return { values };
  }

  /**
   * Wait while the pump runs, for at most GATHER_MS of items produced one after another (the pump
   * checks after each item), or until the pump stops (the read-ahead bound, the producer's end),
   * or until the event loop turns (the producer waits for something: what is there goes now).
   */
  private gather(): Promise<void> {
    this.gatherUntil = performance.now() + GATHER_MS;
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

  private startPump(readAhead: number): void {
    if (this.pumpActive || this.producerDone) return;
    this.pumpActive = true;
    this.background(1);
    // The pump outlives the request that starts it: what it runs is attributed to this iterator
    // (see CallContext.iterator), so that a caller blocked on a later step is recognised.
    // (Before calls are tracked there is no context to extend: the pump is listed instead.)
    if (!callsTracked() && this.id !== undefined) untrackedPumps.add(this.id);
    const parent = callStorage.getStore();
    const context = this.id === undefined || parent === undefined ? parent : pumpContext(parent, this.id);
    this.pumping = context === undefined ? this.pump(readAhead) : callStorage.run(context, () => this.pump(readAhead));
  }

  /**
   * Produce items until `readAhead` are ahead of the consumer. Each result and item is awaited as
   * singleStep awaits them, but only when it is a thenable: a microtask turn per await would be
   * most of an item's cost.
   */
  private async pump(readAhead: number): Promise<void> {
    try {
      while (this.produced.length + this.lent < readAhead && !this.producerDone) {
        try {
          let result: unknown = this.acquire().next();
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
          if (this.producerDone || ((this.produced.length & 15) === 0 && performance.now() >= this.gatherUntil)) this.wake();
          else if (!this.flushArmed) this.armFlush();
        }
      }
    } finally {
      this.pumpActive = false;
      if (this.id !== undefined) untrackedPumps.delete(this.id);
      this.background(-1);
      this.wake();
    }
  }

  /** Let the pump's current step finish and stop it (before return/throw/next(v)). */
  private async stopPump(): Promise<void> {
    this.producerDone = true;
    if (this.pumpActive) await this.pumping;
  }
}
