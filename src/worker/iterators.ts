/**
 * Iterators the caller drives from the other thread: generators (async and sync), async
 * iterables such as ReadableStream, and plain objects with an iteration protocol.
 *
 * By default every step is one request: the caller asks, the worker advances the iterator by one,
 * and replies. Producer and consumer interleave strictly. With read-ahead N, a background pump keeps
 * up to N items produced in advance and each reply carries everything buffered, so bulk iteration
 * costs one round trip per batch instead of one per item. The pump and the gathering of its items
 * are in read-ahead.ts; this file orders the steps and makes their replies.
 */
import type { IteratorStep, StepReply } from "../protocol/messages.js";
import { isAsyncIteratorLike, isIteratorLike, type AnyIterator } from "../protocol/iterables.js";
import { whenSettled } from "./settling.js";
import { ReadAhead } from "./read-ahead.js";

// Both sides tell iterators apart the same way (the caller lends its own): the test is in protocol/.
export { isAsyncIteratorLike, isIteratorLike };


export class RemoteIteration {
  /** The handle id under which the caller holds this iteration (set once it is sent). */
  id: number | undefined;
  private iterator: AnyIterator | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  /** Steps queued or running: none means a lockstep next() may run at once (see nextNow). */
  private pending = 0;
  private finished = false;
  private readonly ahead: ReadAhead;

  constructor(
    private readonly source: object,
    private readonly onFinish: () => void,
    /** Tells the transport when a pump runs (see WorkerTransport.background). */
    background: (delta: 1 | -1) => void = () => {},
  ) {
    this.ahead = new ReadAhead(this, background);
  }

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
    return this.pending === 0 && !this.ahead.running && !this.finished;
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
    this.ahead.halt(); // as singleStep's stop of the pump: no pump starts after a lockstep step
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

  /** The iterator, taken from the source on first use (the pump's too, see PumpSource). */
  acquire(): AnyIterator {
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
    await this.ahead.stop();
    try {
      const iterator = this.acquire();
      let result: IteratorResult<unknown>;
      if (how === "next") {
        result = (await iterator.next(value)) as IteratorResult<unknown>;
      } else if (how === "return") {
        this.ahead.discard();
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
    const ahead = this.ahead;
    if (this.finished && ahead.isEmpty) return { values: [], done: true };
    ahead.lend(0);
    ahead.start(readAhead);
    if (ahead.running) await ahead.gather();
    const values = ahead.takeItems();
    const ending = ahead.takeEnding();
    if (ending !== undefined) {
      this.finish();
      return "threw" in ending ? { values, threw: true, error: ending.error } : { values, done: true, returned: ending.value };
    }
    if (values.length === 0) return { values, done: true }; // the pump stopped without an item (cannot happen)
    // The caller takes one item now and keeps the rest for its next steps.
    ahead.lend(values.length - 1);
    ahead.start(readAhead);
    return { values };
  }
}
