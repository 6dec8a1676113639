/**
 * The state of one iteration of a worker iterator, shared by its two views (iterators.ts), and the
 * step logic written once, as a generator of requests (`stepLogic`), run either blocking
 * (`runBlocking`, for `for...of`) or async (`runAsync`, for `for await`), so that the two views
 * cannot drift apart. The state holds the worker-side id, the items received ahead, and how the
 * iterator ended.
 */
import type { RequestOp, StepReply, Target, IteratorStep } from "../../protocol/messages.js";
import { ClosedError, ReferenceLostError, TimeoutError } from "../../errors.js";
import type { CallControl, Connection } from "../wire/connection.js";
import { markRemote } from "../support/stack.js";
import { NO_CONTROL } from "./requester.js";

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
    const reply = yield { op: { op: "start", target: start.target, args: start.args, ...(readAhead > 0 && { readAhead }) }, control: state.options.control ?? NO_CONTROL };
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
    reply = yield { op, control: how === "return" ? { timeoutMs: state.options.closeTimeoutMs } : (state.options.control ?? NO_CONTROL) };
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

export function runBlocking(state: IterationState, how: IteratorStep, value: unknown): IteratorResult<unknown> {
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

export async function runAsync(state: IterationState, how: IteratorStep, value: unknown): Promise<IteratorResult<unknown>> {
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
