/**
 * Iterators living in the worker, driven from the caller: the object a generator export returns
 * (lazily: nothing runs until the first `next()`), and the object an iterator marker decodes to.
 *
 * One IterationState holds what both views share: the worker-side id, items received ahead, and
 * how the iterator ended. The step logic is written once, as a generator of requests
 * (`stepLogic`), and run either blocking (RemoteGenerator, for `for...of`) or async
 * (AsyncRemoteGenerator, for `for await`), so the two views cannot drift apart.
 */
import type { RequestOp, StepReply, Target, IteratorStep } from "../../protocol/messages.js";
import { ClosedError, ReferenceLostError, TimeoutError } from "../../errors.js";
import type { CallControl, Connection } from "../wire/connection.js";
import { captureSite } from "../support/site.js";
import { markRemote, withCallerFrames } from "../support/stack.js";

export interface IterationOptions {
  /** Items the worker may produce ahead of the consumer (0: strict lockstep). */
  readonly readAhead: number;
  /** How long closing (`return()`) waits for the worker-side cleanup before giving up on it. */
  readonly closeTimeoutMs: number;
  /** Timeout and AbortSignal for each step but closing (from `.with()` or the synchronizer). */
  readonly control?: CallControl;
}

/** How a lazily started generator is started: the call, and the connection it goes to. */
export interface LazyStart {
  readonly target: Target;
  readonly args: unknown[];
  /** Resolves the connection (starting the worker, importing the module) at the first step. */
  readonly connect: () => Connection;
}

type Ending = { readonly kind: "returned"; readonly value: unknown } | { readonly kind: "threw"; readonly error: unknown };

/** A request the step logic wants made, and how long to wait for it. */
interface StepRequest {
  readonly op: RequestOp;
  readonly control: CallControl;
}

const NONE: unknown[] = [];

const iteratorPrototype: object = (globalThis as { Iterator?: { prototype: object } }).Iterator?.prototype ?? Object.prototype;
const asyncIteratorPrototype: object = Object.getPrototypeOf(Object.getPrototypeOf((async function* () {})()));

export class IterationState {
  connection: Connection | undefined;
  id: number | undefined;
  done = false;
  /** Items received ahead (the last read-ahead batch): those from `taken` on are still to hand out. */
  private batch: unknown[] = NONE;
  private taken = 0;
  ending: Ending | undefined;
  /** Async steps on one iterator run one after another, like an async generator's own queue. */
  queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly options: IterationOptions,
    readonly start: LazyStart | undefined,
    connection?: Connection,
    id?: number,
  ) {
    this.connection = connection;
    this.id = id;
  }

  /** The items received ahead still to hand out, as a new array (for tests and diagnostics). */
  get buffer(): unknown[] {
    return this.batch.slice(this.taken);
  }

  /** How many items received ahead are still to hand out. */
  get held(): number {
    return this.batch.length - this.taken;
  }

  /** The next item received ahead (only when `held > 0`); the batch lets go of it. */
  take(): unknown {
    const batch = this.batch;
    const value = batch[this.taken];
    batch[this.taken++] = undefined;
    if (this.taken === batch.length) this.discard();
    return value;
  }

  /** Keep the items of a reply, to hand out one per step. */
  hold(values: unknown[]): void {
    if (values.length === 0) return;
    this.batch = this.held > 0 ? this.batch.slice(this.taken).concat(values) : values;
    this.taken = 0;
  }

  /** Throw away the items received ahead. */
  discard(): void {
    this.batch = NONE;
    this.taken = 0;
  }
}

/** The request/response logic of one step, as a generator: yields requests, receives their replies. */
function* stepLogic(state: IterationState, how: IteratorStep, value: unknown): Generator<StepRequest, IteratorResult<unknown>, StepReply> {
  if (how === "next" && state.held > 0) {
    // Refused whether or not an item is at hand, so that it does not depend on the batch sizes.
    if (value !== undefined && state.options.readAhead > 0) throw readAheadValueError();
    return { done: false, value: state.take() };
  }
  if (how === "next" && state.ending !== undefined) return finish(state);
  if (state.ending !== undefined) {
    // The worker's iterator has finished (its end came with the items still buffered here) and the
    // worker forgot it: return and throw complete the iterator here, as they would a finished one.
    state.discard();
    state.ending = undefined;
    state.done = true;
    if (state.id !== undefined) state.connection?.refs.forget(state.id);
    if (how === "throw") throw value;
    return { done: true, value };
  }
  if (state.done) {
    if (how === "throw") throw value;
    return { done: true, value: how === "return" ? value : undefined };
  }
  if (state.id === undefined) {
    // Never started: like a generator in its initial state, return/throw complete it at once.
    if (how === "return") {
      state.done = true;
      return { done: true, value };
    }
    if (how === "throw") {
      state.done = true;
      throw value;
    }
    const start = state.start!;
    state.connection = start.connect();
    const readAhead = state.options.readAhead;
    const reply = yield { op: { op: "start", target: start.target, args: start.args, ...(readAhead > 0 && { readAhead }) }, control: state.options.control ?? {} };
    state.id = reply.iterator!;
    state.connection.refs.adoptObject(state.id, state);
    return absorb(state, reply);
  }
  if (state.connection?.exited) {
    state.done = true;
    const exited = state.connection.exited;
    if (exited instanceof ClosedError) throw new ClosedError("this iterator cannot be used: the synchronizer is closed");
    throw new ReferenceLostError(`this iterator was lost with its worker (${exited.message})`, { cause: exited });
  }
  const readAhead = state.options.readAhead;
  if (how === "next" && readAhead > 0 && value !== undefined) throw readAheadValueError();
  if (how !== "next") state.discard(); // items produced ahead are discarded on return/throw
  // Two literals rather than a conditional spread: this is built for every lockstep step.
  const op: RequestOp = readAhead > 0 ? { op: "iter", iterator: state.id, how, value, readAhead } : { op: "iter", iterator: state.id, how, value };
  let reply: StepReply;
  try {
    reply = yield { op, control: how === "return" ? { timeoutMs: state.options.closeTimeoutMs } : (state.options.control ?? {}) };
  } catch (error) {
    if (how === "return" && error instanceof TimeoutError) {
      // The worker-side cleanup goes on in the background; the caller is not held hostage by it.
      state.done = true;
      return { done: true, value };
    }
    state.done = true;
    throw error;
  }
  return absorb(state, reply);
}

function readAheadValueError(): TypeError {
  return new TypeError("next(value) cannot send a value to a generator iterated with read-ahead; use readAhead: 0 to send values");
}

function absorb(state: IterationState, reply: StepReply): IteratorResult<unknown> {
  state.hold(reply.values);
  if (reply.threw) {
    markRemote(reply.error);
    state.ending = { kind: "threw", error: reply.error };
  } else if (reply.done) {
    state.ending = { kind: "returned", value: reply.returned };
  }
  if (state.held > 0) return { done: false, value: state.take() };
  return finish(state);
}

function finish(state: IterationState): IteratorResult<unknown> {
  const ending = state.ending!;
  state.done = true;
  state.ending = undefined;
  if (state.id !== undefined) state.connection?.refs.forget(state.id);
  if (ending.kind === "threw") throw ending.error;
  return { done: true, value: ending.value };
}

function runBlocking(state: IterationState, how: IteratorStep, value: unknown): IteratorResult<unknown> {
  const logic = stepLogic(state, how, value);
  let step = logic.next();
  while (!step.done) {
    let reply: StepReply;
    try {
      reply = state.connection!.requestSync(step.value.op, step.value.control) as StepReply;
    } catch (error) {
      step = logic.throw(error);
      continue;
    }
    step = logic.next(reply);
  }
  return step.value;
}

async function runAsync(state: IterationState, how: IteratorStep, value: unknown): Promise<IteratorResult<unknown>> {
  const logic = stepLogic(state, how, value);
  let step = logic.next();
  while (!step.done) {
    let reply: StepReply;
    try {
      reply = (await state.connection!.requestAsync(step.value.op, step.value.control)) as StepReply;
    } catch (error) {
      step = logic.throw(error);
      continue;
    }
    step = logic.next(reply);
  }
  return step.value;
}

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
