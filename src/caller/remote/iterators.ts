/**
 * Iterators living in the worker, driven from the caller: the object a generator export returns
 * (lazily: nothing runs until the first `next()`), and the object an iterator marker decodes to.
 * Both views, RemoteGenerator (blocking, for `for...of`) and AsyncRemoteGenerator (for
 * `for await`), run the same step logic over one IterationState (iteration-state.ts).
 */
import type { IteratorStep } from "../../protocol/messages.js";
import { ReferenceLostError } from "../../errors.js";
import type { Connection } from "../wire/connection.js";
import { captureSite } from "../support/site.js";
import { withCallerFrames } from "../support/stack.js";
import { runAsync, runBlocking, type IterationState } from "./iteration-state.js";

const iteratorPrototype: object = (globalThis as { Iterator?: { prototype: object } }).Iterator?.prototype ?? Object.prototype;
const asyncIteratorPrototype: object = Object.getPrototypeOf(Object.getPrototypeOf((async function* () {})()));

/** The state behind each view, so that a view passed back as an argument can name its worker iterator. */
const statesByView = new WeakMap<object, IterationState>();

/** The iteration behind a RemoteGenerator or AsyncRemoteGenerator, or undefined for anything else. */
export function iterationOf(value: object): IterationState | undefined {
  return statesByView.get(value);
}

/**
 * The worker-side id to send for an iterator passed back to the worker (it arrives there as the
 * original iterator), or a clear error when there is no such iterator to send.
 */
export function iteratorIdToSend(state: IterationState, connection: Connection): number {
  if (state.done || state.ending !== undefined) throw new ReferenceLostError("this iterator has finished; it cannot be sent to the worker");
  if (state.id === undefined) {
    throw new TypeError("this iterator has not started yet, so there is no iterator in the worker to send: call next() on it first, or pass the generator function's arguments instead");
  }
  if (state.connection !== connection) throw new ReferenceLostError("this iterator belongs to a worker that has stopped; it cannot be sent to the new one");
  if (state.held > 0) {
    throw new TypeError(`this iterator holds ${state.held} item(s) read ahead; the worker would skip them. Send it before reading, or iterate it without readAhead`);
  }
  return state.id;
}

/** The blocking view: a Generator-like object for `for...of`. */
export class RemoteGenerator {
  readonly #state: IterationState;

  constructor(state: IterationState) {
    this.#state = state;
    statesByView.set(this, state);
  }

  next(...args: [] | [unknown]): IteratorResult<unknown> {
    const state = this.#state;
    // An item received ahead: what stepLogic's first line does, without setting up a step.
    if (state.held > 0 && args[0] === undefined) return { done: false, value: state.take() };
    return blockingStep(state, "next", args[0]);
  }

  return(value?: unknown): IteratorResult<unknown> {
    return blockingStep(this.#state, "return", value);
  }

  throw(error?: unknown): IteratorResult<unknown> {
    return blockingStep(this.#state, "throw", error);
  }

  [Symbol.iterator](): this {
    return this;
  }

  /** The same worker iterator, driven without blocking. */
  [Symbol.asyncIterator](): AsyncRemoteGenerator {
    return new AsyncRemoteGenerator(this.#state, this);
  }

  [Symbol.dispose](): void {
    this.return();
  }

  get [Symbol.toStringTag](): string {
    return "RemoteGenerator";
  }
}
Object.setPrototypeOf(RemoteGenerator.prototype, iteratorPrototype);

function blockingStep(state: IterationState, how: IteratorStep, value: unknown): IteratorResult<unknown> {
  try {
    return runBlocking(state, how, value);
  } catch (error) {
    throw withCallerFrames(error, captureSite());
  }
}

/** The async view: an AsyncGenerator-like object for `for await`. */
export class AsyncRemoteGenerator {
  readonly #state: IterationState;
  /** The blocking view this one came from: kept alive, since the worker iterator's lifetime follows it. */
  // eslint-disable-next-line no-unused-private-class-members -- held only to keep the owner reachable
  readonly #owner: object | undefined;

  constructor(state: IterationState, owner?: object) {
    this.#state = state;
    this.#owner = owner;
    statesByView.set(this, state);
  }

  next(...args: [] | [unknown]): Promise<IteratorResult<unknown>> {
    return asyncStep(this.#state, "next", args[0]);
  }

  return(value?: unknown): Promise<IteratorResult<unknown>> {
    return asyncStep(this.#state, "return", value);
  }

  throw(error?: unknown): Promise<IteratorResult<unknown>> {
    return asyncStep(this.#state, "throw", error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.return();
  }

  get [Symbol.toStringTag](): string {
    return "AsyncRemoteGenerator";
  }
}
Object.setPrototypeOf(AsyncRemoteGenerator.prototype, asyncIteratorPrototype);

/**
 * One async step, queued behind the earlier steps of the same iterator. It is an async function
 * awaiting the queue (not a `.then` callback on it), so that the error's caller frames include
 * the function running `for await`: V8's async stack follows awaits, not promise callbacks.
 */
async function asyncStep(state: IterationState, how: IteratorStep, value: unknown): Promise<IteratorResult<unknown>> {
  const previous = state.queue;
  let done!: () => void;
  state.queue = new Promise<void>((resolve) => (done = resolve));
  try {
    await previous;
    return await runAsync(state, how, value);
  } catch (error) {
    throw withCallerFrames(error, captureSite());
  } finally {
    done();
  }
}
