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
import { callStorage, type CallContext } from "./call-context.js";
import { isAsyncIteratorLike, isIteratorLike, type AnyIterator } from "../protocol/iterables.js";

// Both sides tell iterators apart the same way (the caller lends its own): the test is in protocol/.
export { isAsyncIteratorLike, isIteratorLike };


type Produced = { readonly done: boolean; readonly value: unknown } | { readonly threw: true; readonly error: unknown };

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
  private finished = false;
  // Read-ahead state.
  private readonly buffer: Produced[] = [];
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
  private wakeConsumer: (() => void) | undefined;

  constructor(
    private readonly source: object,
    private readonly onFinish: () => void,
  ) {}

  get isFinished(): boolean {
    return this.finished;
  }

  /** One step, queued behind earlier steps on the same iterator. */
  step(how: IteratorStep, value: unknown, readAhead: number): Promise<StepReply> {
    const result = this.queue.then(() => (readAhead > 0 && how === "next" ? this.bulkNext(readAhead) : this.singleStep(how, value)));
    this.queue = result.catch(() => {});
    return result;
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
        this.buffer.length = 0;
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
    if (this.finished && this.buffer.length === 0) return { values: [], done: true };
    this.lent = 0;
    this.startPump(readAhead);
    if (this.buffer.length === 0 && !this.pumpActive) return { values: [], done: true };
    if (this.buffer.length === 0) await new Promise<void>((resolve) => (this.wakeConsumer = resolve));
    const values: unknown[] = [];
    while (this.buffer.length > 0) {
      const item = this.buffer.shift()!;
      if ("threw" in item) {
        this.finish();
        return { values, threw: true, error: item.error };
      }
      if (item.done) {
        this.finish();
        return { values, done: true, returned: item.value };
      }
      values.push(item.value);
    }
    // The caller takes one item now and keeps the rest for its next steps.
    this.lent = values.length - 1;
    this.startPump(readAhead);
    return { values };
  }

  private startPump(readAhead: number): void {
    if (this.pumpActive || this.producerDone) return;
    this.pumpActive = true;
    // The pump outlives the request that starts it: what it runs is attributed to this iterator
    // (see CallContext.iterator), so that a caller blocked on a later step is recognised.
    const parent = callStorage.getStore();
    const context = this.id === undefined || parent === undefined ? parent : pumpContext(parent, this.id);
    this.pumping = context === undefined ? this.pump(readAhead) : callStorage.run(context, () => this.pump(readAhead));
  }

  private async pump(readAhead: number): Promise<void> {
    try {
      const iterator = this.acquire();
      while (this.buffer.length + this.lent < readAhead && !this.producerDone) {
        let item: Produced;
        try {
          const result = (await iterator.next()) as IteratorResult<unknown>;
          item = { done: result.done === true, value: await result.value };
          if (result.done) this.producerDone = true;
        } catch (error) {
          item = { threw: true, error };
          this.producerDone = true;
        }
        this.buffer.push(item);
        const wake = this.wakeConsumer;
        this.wakeConsumer = undefined;
        wake?.();
      }
    } finally {
      this.pumpActive = false;
    }
  }

  /** Let the pump's current step finish and stop it (before return/throw/next(v)). */
  private async stopPump(): Promise<void> {
    this.producerDone = true;
    if (this.pumpActive) await this.pumping;
  }
}
