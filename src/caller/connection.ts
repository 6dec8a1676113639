/**
 * The caller's connection to one worker: it numbers requests, posts them, and routes every
 * incoming message: replies to their pending calls, the supervisor's exit notice to all of them.
 *
 * Two ways of receiving meet here. Async calls are settled by port events on the caller's event
 * loop. A blocking call cannot use events (its thread is inside Atomics.wait), so it runs its own
 * receive loop (`waitFor`) that polls the transport and dispatches whatever it reads, exactly as
 * the event handler would. Both paths end in `dispatch`, so nothing is lost or routed twice.
 */
import type { ControlMessage, Message, Reply, RequestOp } from "../protocol/messages.js";
import { decodeValue, encodeValue, describeType, findUncloneable, type DecodeHooks, type EncodeHooks } from "../protocol/values.js";
import { DataCloneError, TimeoutError, WorkerExitError } from "../errors.js";
import { ClassTable } from "./classes.js";
import { createProxyClass } from "./proxies.js";
import { callerDecodeHooks, callerEncodeHooks } from "./codec.js";
import { PendingCall } from "./pending.js";
import { HandleRefs } from "./handles.js";
import { markRemote } from "./stack.js";
import type { WorkerHost } from "./worker-host.js";

export interface ConnectionOptions {
  /** How long closing an iterator waits for its worker-side cleanup. */
  readonly closeTimeoutMs: number;
}

export class Connection {
  readonly classes = new ClassTable(createProxyClass);
  /** Local objects standing for worker objects, released when collected. */
  readonly refs = new HandleRefs((handles) => this.postRelease(handles));
  private readonly encodeHooks: EncodeHooks = callerEncodeHooks(this);
  private readonly decodeHooks: DecodeHooks = callerDecodeHooks(this);
  private readonly pending = new Map<number, PendingCall>();
  private nextId = 1;
  private liveAsyncCalls = 0;
  private exitError: WorkerExitError | undefined;
  /** The worker's threadId once it runs (to recognise calls made from inside it). */
  workerThreadId: number | undefined;

  constructor(
    private readonly host: WorkerHost,
    readonly options: ConnectionOptions,
    private readonly onExit: (error: WorkerExitError) => void,
  ) {
    host.transport.listen((message) => this.dispatch(message));
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  /** Set once the worker has stopped; every later request fails with it. */
  get exited(): WorkerExitError | undefined {
    return this.exitError;
  }

  /**
   * Post a request. Throws DataCloneError (having sent nothing) when an argument cannot be copied,
   * and the worker's exit error when the worker is gone.
   */
  send(op: RequestOp, keepsAlive: boolean): PendingCall {
    if (this.exitError) throw this.exitError;
    // Releases queued by dispose or GC go first, so that the worker sees them in program order.
    this.refs.flush();
    const id = this.nextId++;
    const message = this.encodeRequest(id, op);
    try {
      this.host.transport.post(message);
    } catch (error) {
      throw argumentCloneFailure(op, error);
    }
    const call = new PendingCall(id, keepsAlive);
    this.pending.set(id, call);
    if (keepsAlive && this.liveAsyncCalls++ === 0) this.host.transport.keepAlive(true);
    return call;
  }

  /** Make a request and block until its reply; a TimeoutError after `timeoutMs` (the late reply is dropped). */
  requestSync(op: RequestOp, timeoutMs = Infinity): unknown {
    const call = this.send(op, false);
    if (!this.waitFor(call, timeoutMs)) {
      this.abandon(call);
      throw new TimeoutError(`the call did not finish within ${timeoutMs} ms`);
    }
    const outcome = call.settled!;
    if (outcome.ok) return outcome.value;
    throw outcome.error;
  }

  /** Make a request and return a promise of its reply. */
  requestAsync(op: RequestOp, timeoutMs = Infinity): Promise<unknown> {
    let call: PendingCall;
    try {
      call = this.send(op, true);
    } catch (error) {
      return Promise.reject(error);
    }
    if (timeoutMs === Infinity) return call.promise();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.abandon(call);
        reject(new TimeoutError(`the call did not finish within ${timeoutMs} ms`));
      }, timeoutMs);
      call.onSettle((outcome) => {
        clearTimeout(timer);
        if (outcome.ok) resolve(outcome.value);
        else reject(outcome.error);
      });
    });
  }

  /** Stop waiting for `call`: its reply, if it ever comes, is dropped. */
  abandon(call: PendingCall): void {
    if (this.pending.delete(call.id) && call.keepsAlive && --this.liveAsyncCalls === 0) this.host.transport.keepAlive(false);
  }

  private postRelease(handles: ReadonlyArray<readonly [number, number]>): void {
    if (this.exitError) return;
    try {
      this.host.transport.post({ t: "req", id: 0, op: "release", handles });
    } catch {
      // The worker is gone: nothing to release.
    }
  }

  /**
   * Block this thread until `call` settles or `timeoutMs` passes; returns whether it settled.
   * Every message read meanwhile is dispatched, whoever it is for.
   */
  waitFor(call: PendingCall, timeoutMs = Infinity): boolean {
    const transport = this.host.transport;
    const deadline = timeoutMs === Infinity ? Infinity : performance.now() + timeoutMs;
    while (call.settled === undefined) {
      const epoch = transport.epoch();
      for (let message = transport.poll(); message !== undefined; message = transport.poll()) {
        this.dispatch(message);
      }
      if (call.settled !== undefined) break;
      const remaining = deadline - performance.now();
      if (remaining <= 0) return false;
      transport.wait(epoch, remaining);
    }
    return true;
  }

  dispatch(message: Message | ControlMessage): void {
    switch (message.t) {
      case "res":
        this.settle(message);
        return;
      case "online":
        this.workerThreadId = message.threadId;
        return;
      case "exit":
        this.workerExited(message.reason, message.code, message.error);
        return;
      case "req":
        // Worker-to-caller requests (callbacks) are not part of this protocol version yet.
        return;
    }
  }

  private settle(reply: Reply): void {
    const call = this.pending.get(reply.id);
    if (call === undefined) return; // cancelled or timed out: a late reply is dropped
    this.pending.delete(reply.id);
    this.classes.define(reply.defs);
    if (call.keepsAlive && --this.liveAsyncCalls === 0) this.host.transport.keepAlive(false);
    try {
      if (reply.ok) {
        call.settle({ ok: true, value: reply.encoded ? decodeValue(reply.value, this.decodeHooks) : reply.value });
      } else {
        const error = reply.encoded ? decodeValue(reply.error, this.decodeHooks) : reply.error;
        markRemote(error);
        call.settle({ ok: false, error });
      }
    } catch (error) {
      call.settle({ ok: false, error });
    }
  }

  private workerExited(reason: string, code: number, encodedCause: unknown): void {
    if (this.exitError) return;
    const cause = encodedCause === undefined ? undefined : decodeValue(encodedCause, this.decodeHooks);
    this.exitError = new WorkerExitError(`${reason}; calls in flight were abandoned`, {
      exitCode: code,
      ...(cause !== undefined && { cause }),
    });
    this.failAll(this.exitError);
    this.onExit(this.exitError);
  }

  /** Settle every pending call with `error` (worker gone, synchronizer closed). */
  failAll(error: Error): void {
    const calls = [...this.pending.values()];
    this.pending.clear();
    if (this.liveAsyncCalls > 0) this.host.transport.keepAlive(false);
    this.liveAsyncCalls = 0;
    for (const call of calls) call.settle({ ok: false, error });
  }

  private encodeRequest(id: number, op: RequestOp): Message {
    // The one field of each op that carries user values.
    const field = op.op === "call" || op.op === "construct" || op.op === "start" ? "args" : op.op === "set" || op.op === "iter" ? "value" : undefined;
    if (field === undefined) return { t: "req", id, ...op };
    let encoded;
    try {
      encoded = encodeValue((op as unknown as Record<string, unknown>)[field], this.encodeHooks);
    } catch (error) {
      throw argumentCloneFailure(op, error);
    }
    return { t: "req", id, ...op, [field]: encoded.value, ...(encoded.encoded && { encoded: true }) } as Message;
  }
}

/** A DataCloneError naming which argument (and where inside it) could not be copied. */
function argumentCloneFailure(op: RequestOp, error: unknown): Error {
  const args = op.op === "call" || op.op === "construct" || op.op === "start" ? op.args : op.op === "set" || op.op === "iter" ? [op.value] : [];
  const reason = error instanceof Error ? error.message : String(error);
  for (let i = 0; i < args.length; i++) {
    const found = findUncloneable(args[i]);
    if (found === undefined) continue;
    const position = op.op === "set" ? "the value assigned" : op.op === "iter" ? "the value sent to the iterator" : `argument ${i + 1}`;
    const where = found.path ? `${position}, at ${found.path},` : position;
    return new DataCloneError(`${where} could not be copied to the worker: it is ${describeType(found.value)} (${reason})`, {
      position,
      cause: error,
    });
  }
  return error instanceof Error ? error : new DataCloneError(reason, { cause: error });
}
