/**
 * The caller's connection to one worker: it numbers requests, posts them, and routes every
 * incoming message: replies to their pending calls, callback requests to the caller's functions,
 * the supervisor's exit notice to every pending call.
 *
 * Two ways of receiving meet here. Async calls are settled by port events on the caller's event
 * loop. A blocking call cannot use events (its thread is inside Atomics.wait), so it runs its own
 * receive loop (receive-loop.ts) that polls the transport and dispatches whatever it reads, exactly
 * as the event handler would. Both paths end in `dispatch`, so nothing is lost or routed twice.
 *
 * This is the wire: it knows messages, not what values become. The layer above (caller/remote/)
 * gives it, at construction, the codec hooks that turn markers into proxies, iterators and errors,
 * the server of callback requests, and the factory of proxy classes (`ConnectionHooks`).
 */
import type { ControlMessage, Message, PackedFields, Reply, Request, RequestOp } from "../../protocol/messages.js";
import type { ClassShape } from "../../protocol/shapes.js";
import { decodeValue, isStackOverflow, messageOf, type DecodeHooks, type EncodeHooks } from "../../protocol/values.js";
import { receiveFailure, unpack } from "../../protocol/packing.js";
import { DataCloneError, InterruptedError, TimeoutError, WorkerExitError } from "../../errors.js";
import { HandleRefs } from "../../protocol/handle-refs.js";
import { HandleTable } from "../../protocol/handle-table.js";
import { ClassTable, type AnyClass } from "./classes.js";
import { timeoutError } from "./request-errors.js";
import { PendingCall } from "./pending.js";
import { checkStackRoom } from "../support/stack-room.js";
import { armTimer } from "../support/time-limits.js";
import { interrupt, startShutdown, type ShutdownWait } from "./shutdown.js";
import { signalsHandled } from "../support/process-hooks.js";
import { describeRequest } from "./blocking-warning.js";
import { markRemote } from "../support/stack.js";
import { traceCall, tracingActive, type CallForm } from "./tracing.js";
import { Outbox } from "./outbox.js";
import { ReceiveLoop, type WaitEnd } from "./receive-loop.js";
import type { WorkerHost } from "../host/worker-host.js";

export interface ConnectionOptions {
  /** How long closing an iterator waits for its worker-side cleanup. */
  readonly closeTimeoutMs: number;
  /** The synchronizer's default timeout for calls that give none. */
  readonly defaultTimeoutMs: number | undefined;
  /** How long cleanup may take at process exit or after Ctrl-C (0: do not wait). */
  readonly shutdownTimeoutMs: number;
  /** A call that times out also terminates the worker (a stuck worker is replaced on the next call). */
  readonly terminateOnTimeout: boolean;
  /** A blocking call waiting longer than this prints a warning naming it (0 or undefined: never). */
  readonly blockingWarningMs?: number | undefined;
}

/** How long to wait, and what may cut the wait short. */
export interface CallControl {
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

export type CallbackRequest = Extract<Request, { op: "callback" }>;

/** What the layer above gives a connection (see caller/remote/hooks.ts): all it must not import. */
export interface ConnectionHooks {
  /** What the caller's values become on the wire (callbacks, references to worker objects, errors). */
  readonly encode: EncodeHooks;
  /** What the worker's markers become here (proxies, iterators, errors, classes). */
  readonly decode: DecodeHooks;
  /** Values the encoding sends as references: skipped when naming the argument that failed to copy. */
  sentByReference(value: object): boolean;
  /** Runs one of the caller's functions for the worker; `blocked`: read by a blocked thread's receive loop. */
  serveCallback(request: CallbackRequest, blocked: boolean): void;
  /** The local class standing for a worker class that is not an error class. */
  createProxyClass(shape: ClassShape, base: AnyClass | undefined): AnyClass;
}

export class Connection {
  readonly classes: ClassTable;
  /** Local objects standing for worker objects, released when collected. */
  readonly refs = new HandleRefs((handles) => this.postRequest({ op: "release", handles }));
  /** The caller's functions the worker holds, as callbacks. */
  readonly callbacks = new HandleTable();
  private readonly decodeHooks: DecodeHooks;
  private readonly hooks: ConnectionHooks;
  private readonly outbox: Outbox;
  private readonly receiver: ReceiveLoop;
  private readonly pending = new Map<number, PendingCall>();
  /** `start` requests given up on before their reply: the reply names a new iterator to release. */
  private readonly abandonedStarts = new Set<number>();
  private nextId = 1;
  private liveAsyncCalls = 0;
  private exitError: Error | undefined;
  /** Set once the worker was asked to shut down: the cleanup runs (and is waited for) once. */
  shutdownStarted = false;
  /** SIGINTs this thread handled before this connection's supervisor started watching. */
  private readonly signalsHandledBefore = signalsHandled();
  /** How Ctrl-C reaches this thread while it blocks (known once the worker runs). */
  signals: "native-helper" | "signal_wrap" | "deno" | "none" | undefined;

  constructor(
    private readonly host: WorkerHost,
    readonly options: ConnectionOptions,
    private readonly onExit: (error: WorkerExitError) => void,
    /** Builds the hooks of the layer above for this connection (they refer back to it). */
    hooksFor: (connection: Connection) => ConnectionHooks,
  ) {
    const hooks = hooksFor(this);
    this.hooks = hooks;
    this.classes = new ClassTable(hooks.createProxyClass);
    this.decodeHooks = hooks.decode;
    this.outbox = new Outbox(host.transport, this.callbacks, hooks.encode, hooks.sentByReference);
    this.receiver = new ReceiveLoop(host.transport, (message, blocked) => this.dispatch(message, blocked), options.blockingWarningMs, (blocked) => interrupt(this, blocked));
    host.transport.listen((message) => this.dispatch(message, false));
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  /** Set once the worker has stopped (a WorkerExitError) or the synchronizer closed (a ClosedError); every later request fails with it. */
  get exited(): Error | undefined {
    return this.exitError;
  }

  /** The synchronizer is closed: from now on, everything fails with `error`. */
  closeWith(error: Error): void {
    this.exitError ??= error;
    this.outbox.stopped = true;
    this.failAll(error);
  }

  /** Whether a callback request must finish synchronously (see ReceiveLoop.waitsFor). */
  waitsFor(request: { readonly call?: number; readonly iterator?: number }): boolean {
    return this.receiver.waitsFor(request);
  }

  /**
   * Post a request. Throws DataCloneError (having sent nothing) when an argument cannot be copied,
   * and the worker's exit error when the worker is gone.
   */
  send(op: RequestOp, keepsAlive: boolean, form: CallForm = keepsAlive ? "aio" : "blocking"): PendingCall {
    if (this.exitError) throw this.exitError;
    // Releases queued by dispose or GC go first, so that the worker sees them in program order.
    this.refs.flush();
    const id = this.nextId++;
    this.outbox.postRequest(op, id);
    const call = new PendingCall(id, keepsAlive, () => describeRequest(op), op.op === "start");
    this.pending.set(id, call);
    if (keepsAlive && this.liveAsyncCalls++ === 0) this.host.transport.keepAlive(true);
    if (tracingActive()) traceCall(call, op, form);
    return call;
  }

  /** Make a request and block until its reply, a timeout (TimeoutError) or an abort (the signal's reason). */
  requestSync(op: RequestOp, control: CallControl = {}): unknown {
    control.signal?.throwIfAborted();
    checkStackRoom();
    // Counted as blocked from before the send: a Ctrl-C once the worker has the call must interrupt it.
    this.host.transport.blocking(1);
    let call: PendingCall;
    let ended: WaitEnd;
    const iterator = op.op === "iter" ? op.iterator : undefined;
    if (iterator !== undefined) this.receiver.enterIterator(iterator);
    try {
      call = this.send(op, false);
      ended = this.receiver.waitFor(call, control.timeoutMs ?? Infinity, control.signal);
    } finally {
      this.host.transport.blocking(-1);
      if (iterator !== undefined) this.receiver.leaveIterator(iterator);
    }
    if (ended === "interrupted") throw new InterruptedError("the call was interrupted by Ctrl-C (SIGINT)");
    if (ended !== "settled") throw this.stop(call, ended === "aborted" ? control.signal!.reason : timeoutError(control.timeoutMs!));
    const outcome = call.settled!;
    if (outcome.ok) return outcome.value;
    throw outcome.error;
  }

  /** Make a request and return a promise of its reply, cut short by a timeout or an abort. */
  requestAsync(op: RequestOp, control: CallControl = {}): Promise<unknown> {
    let call: PendingCall;
    try {
      control.signal?.throwIfAborted();
      call = this.send(op, true);
    } catch (error) {
      return Promise.reject(error);
    }
    this.limit(call, control);
    return call.promise();
  }

  /**
   * Apply a timeout and an AbortSignal to an async call (or a Future's): either one settles the
   * call with its error at once and tells the worker to abort the task.
   */
  limit(call: PendingCall, control: CallControl): void {
    const { signal, timeoutMs } = control;
    if (signal === undefined && (timeoutMs === undefined || timeoutMs === Infinity)) return;
    const onAbort = () => this.stop(call, signal!.reason);
    const timer = timeoutMs === undefined ? undefined : armTimer(timeoutMs, () => this.stop(call, timeoutError(timeoutMs)));
    signal?.addEventListener("abort", onAbort, { once: true });
    call.onSettle(() => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    });
  }

  /** Give up on a call: settle it with `reason`, drop its late reply, and abort its task in the worker. */
  stop(call: PendingCall, reason: unknown): unknown {
    if (call.settled !== undefined) return reason;
    this.abandon(call);
    call.settle({ ok: false, error: reason });
    if (!this.exitError) {
      try {
        this.postRequest({ op: "cancel", call: call.id, reason });
      } catch {
        // A reason that cannot be copied: the worker's task is still aborted, with its description.
        this.postRequest({ op: "cancel", call: call.id, reason: messageOf(reason) });
      }
      // A worker that is stuck (a synchronous endless loop) would never see the cancel.
      if (reason instanceof TimeoutError && this.options.terminateOnTimeout) {
        this.host.stop(`the worker was terminated because a call timed out (terminateOnTimeout): ${reason.message}`);
      }
    }
    return reason;
  }

  /** Stop waiting for `call`: its reply, if it ever comes, is dropped. */
  abandon(call: PendingCall): void {
    if (!this.pending.delete(call.id)) return;
    if (call.startsIterator) this.abandonedStarts.add(call.id);
    if (call.keepsAlive && --this.liveAsyncCalls === 0) this.host.transport.keepAlive(false);
  }

  /** A payload from the worker that will never be decoded: release what it carries (see Outbox.releaseUnread). */
  releaseUnread(message: PackedFields & { readonly encoded?: boolean }, payload: unknown, startReply = false): void {
    this.outbox.releaseUnread(message, payload, startReply);
  }

  /** Block this thread until `call` settles, `timeoutMs` passes or `signal` aborts (see ReceiveLoop.waitFor). */
  waitFor(call: PendingCall, timeoutMs = Infinity, signal?: AbortSignal): WaitEnd {
    return this.receiver.waitFor(call, timeoutMs, signal);
  }

  /** The receive loop of a blocked thread, until `done()` (see ReceiveLoop.receiveUntil). */
  receiveUntil(done: () => boolean, deadline: number, interruptible: boolean): "done" | "timeout" | "interrupted" {
    return this.receiver.receiveUntil(done, deadline, interruptible);
  }

  /** SIGINTs this connection's supervisor received that this thread has not handled (see shutdown.ts). */
  unhandledSignals(): number {
    return this.host.signalsSeen - (signalsHandled() - this.signalsHandledBefore);
  }

  /**
   * The process is exiting (process.exit, the end of the script, Ctrl-C): start the worker's
   * graceful shutdown and return the wait for it (see shutdown.ts). An exit handler may block; the
   * process exit hook waits for every synchronizer's shutdown at once.
   */
  onProcessExit(): ShutdownWait | undefined {
    return startShutdown(this);
  }

  /** The user added or removed SIGINT listeners (see process-hooks.ts). */
  onSignalListeners(count: number): void {
    this.host.transport.setSignalListeners(count);
  }

  /**
   * The supervisor thread ended (seen on this thread's event loop). Its own exit notice for the
   * worker may still sit in the control port, since port messages and thread exits are separate
   * event sources: read what is there first, so that the real reason wins.
   */
  supervisorExited(code: number): void {
    if (this.exitError) return;
    for (let message = this.receiver.poll(); message !== undefined; message = this.receiver.poll()) {
      this.dispatch(message, false);
    }
    this.dispatch({ t: "exit", code, reason: `the supervisor thread stopped (code ${code})` }, false);
  }

  dispatch(message: Message | ControlMessage, blocked: boolean): void {
    switch (message.t) {
      case "res":
        this.settle(message);
        return;
      case "req":
        this.serve(message, blocked);
        return;
      case "online":
        this.signals = message.signals;
        return;
      case "exit":
        this.workerExited(message.reason, message.code, message.error);
        return;
      case "undeliverable":
        this.lostMessage(`a message from the worker could not be received (${messageOf(message.error)})`, message.error);
        return;
    }
  }

  /**
   * A message could not be deserialized, so which call it answered is unknown (values deep enough
   * to risk this travel packed, see packing.ts, so this takes a thread that is nearly out of
   * stack). Rather than leave that call waiting forever, every call pending now fails.
   */
  private lostMessage(what: string, cause: unknown): void {
    const error = new DataCloneError(`${what}; the calls pending at that moment fail, since it may have been the reply to any of them`, { cause });
    const calls = [...this.pending.values()];
    for (const call of calls) {
      this.abandon(call);
      call.settle({ ok: false, error });
    }
  }

  /** A request from the worker: call one of the caller's functions, or release some. */
  private serve(request: Request, blocked: boolean): void {
    this.classes.define(request.defs);
    if (request.op === "release") {
      for (const [id, received] of request.handles) this.callbacks.release(id, received);
    } else if (request.op === "undeliverable") {
      this.lostMessage(`the worker could not receive a message from this thread (${request.reason})`, undefined);
    } else if (request.op === "callback") {
      this.hooks.serveCallback(request, blocked);
    }
  }

  private settle(reply: Reply): void {
    const call = this.pending.get(reply.id);
    this.classes.define(reply.defs);
    if (call === undefined) {
      // Cancelled or timed out: the late reply is dropped, and the worker objects it carries released.
      this.releaseUnread(reply, reply.ok ? reply.value : reply.error, this.abandonedStarts.delete(reply.id));
      return;
    }
    this.pending.delete(reply.id);
    if (call.keepsAlive && --this.liveAsyncCalls === 0) this.host.transport.keepAlive(false);
    try {
      if (reply.ok) {
        call.settle({ ok: true, value: this.receive(reply, reply.value, "the reply") });
      } else {
        const error = this.receive(reply, reply.error, "the error thrown");
        markRemote(error);
        call.settle({ ok: false, error });
      }
    } catch (error) {
      call.settle({ ok: false, error });
    }
  }

  /**
   * The payload of a message from the worker, unpacked and decoded. If it cannot be taken in (too
   * deep for this thread's stack), a DataCloneError for this message alone, and the references
   * it carries are released.
   */
  receive(message: PackedFields & { readonly encoded?: boolean }, payload: unknown, what: string): unknown {
    let value: unknown;
    try {
      value = unpack(payload, message.packed, what);
    } catch (error) {
      this.releaseUnread(message, undefined);
      throw error;
    }
    try {
      return message.encoded ? decodeValue(value, this.decodeHooks) : value;
    } catch (error) {
      throw isStackOverflow(error) ? receiveFailure(what, error) : error;
    }
  }

  private workerExited(reason: string, code: number, encodedCause: unknown): void {
    if (this.exitError) return;
    const cause = encodedCause === undefined ? undefined : decodeValue(encodedCause, this.decodeHooks);
    const error = new WorkerExitError(`${reason}; calls in flight were abandoned`, {
      exitCode: code,
      ...(cause !== undefined && { cause }),
    });
    this.exitError = error;
    this.outbox.stopped = true;
    this.failAll(error);
    this.onExit(error);
  }

  /** Settle every pending call with `error` (worker gone, synchronizer closed). */
  failAll(error: Error): void {
    const calls = [...this.pending.values()];
    this.pending.clear();
    if (this.liveAsyncCalls > 0) this.host.transport.keepAlive(false);
    this.liveAsyncCalls = 0;
    for (const call of calls) call.settle({ ok: false, error });
  }

  /**
   * Encode and post a request to the worker. If it cannot be posted, nothing was sent and the
   * callbacks registered while encoding it are unregistered again.
   */
  postRequest(op: RequestOp, id = 0): void {
    this.outbox.postRequest(op, id);
  }

  /** Post a reply to one of the worker's requests (a callback's result). */
  postReply(id: number, ok: boolean, payload: unknown): void {
    this.outbox.postReply(id, ok, payload);
  }
}
