/**
 * The caller's connection to one worker: it numbers requests, posts them, and routes every
 * incoming message: replies to their pending calls, callback requests to the caller's functions,
 * the supervisor's exit notice to every pending call.
 *
 * Two ways of receiving meet here. Async calls are settled by port events on the caller's event
 * loop. A blocking call cannot use events (its thread is inside Atomics.wait), so it runs its own
 * receive loop (`waitFor`) that polls the transport and dispatches whatever it reads, exactly as
 * the event handler would. Both paths end in `dispatch`, so nothing is lost or routed twice.
 */
import type { ControlMessage, Message, PackedFields, Reply, Request, RequestOp } from "../protocol/messages.js";
import { decodeValue, encodeValue, isStackOverflow, messageOf, type DecodeHooks, type EncodeHooks } from "../protocol/values.js";
import { countIds, pack, receiveFailure, unpack } from "../protocol/packing.js";
import { DataCloneError, InterruptedError, TimeoutError, WorkerExitError } from "../errors.js";
import { HandleRefs } from "../protocol/handle-refs.js";
import { carriedIds, WORKER_REFERENCES } from "../protocol/carried.js";
import { HandleTable } from "../protocol/handle-table.js";
import { ClassTable } from "./classes.js";
import { createProxyClass } from "./proxies.js";
import { argumentCloneFailure, timeoutError } from "./request-errors.js";
import { callerDecodeHooks, callerEncodeHooks } from "./codec.js";
import { PendingCall } from "./pending.js";
import { checkStackRoom, enterWait, leaveWait } from "./stack-room.js";
import { armTimer } from "./options.js";
import { interrupt, startShutdown, type ShutdownWait } from "./shutdown.js";
import { signalsHandled } from "./process-hooks.js";
import { describeRequest, warnBlocked } from "./blocking-warning.js";
import { CallbackServer } from "./callbacks.js";
import { markRemote } from "./stack.js";
import { traceCall, tracingActive, type CallForm } from "./tracing.js";
import type { WorkerHost } from "./worker-host.js";

/** The extra fields of a message whose payload needs none (most messages). */
const NO_EXTRA = Object.freeze({});

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

export class Connection {
  readonly classes = new ClassTable(createProxyClass);
  /** Local objects standing for worker objects, released when collected. */
  readonly refs = new HandleRefs((handles) => this.postRequest({ op: "release", handles }));
  /** The caller's functions the worker holds, as callbacks. */
  readonly callbacks = new HandleTable();
  private readonly encodeHooks: EncodeHooks = callerEncodeHooks(this);
  private readonly decodeHooks: DecodeHooks = callerDecodeHooks(this);
  private readonly pending = new Map<number, PendingCall>();
  /** Requests this thread is blocked on right now (nested when callbacks make blocking calls). */
  private readonly blockedOn = new Map<number, PendingCall>();
  /** Iterators this thread is blocked on a step of, with how many nested waits. */
  private readonly blockedIterators = new Map<number, number>();
  /** `start` requests given up on before their reply: the reply names a new iterator to release. */
  private readonly abandonedStarts = new Set<number>();
  private readonly callbackServer = new CallbackServer(this);
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
  ) {
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
    this.failAll(error);
  }

  /**
   * Whether this thread is blocked waiting for what a callback request came from: the request
   * whose task made it, or (for a generator running ahead) any step of its iterator. Such a
   * callback must finish synchronously.
   */
  waitsFor(request: { readonly call?: number; readonly iterator?: number }): boolean {
    if (request.call !== undefined && this.blockedOn.has(request.call)) return true;
    return request.iterator !== undefined && (this.blockedIterators.get(request.iterator) ?? 0) > 0;
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
    this.postRequest(op, id);
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
    let ended: ReturnType<Connection["waitFor"]>;
    const iterator = op.op === "iter" ? op.iterator : undefined;
    if (iterator !== undefined) this.blockedIterators.set(iterator, (this.blockedIterators.get(iterator) ?? 0) + 1);
    try {
      call = this.send(op, false);
      ended = this.waitFor(call, control.timeoutMs ?? Infinity, control.signal);
    } finally {
      this.host.transport.blocking(-1);
      if (iterator !== undefined) {
        const count = this.blockedIterators.get(iterator)! - 1;
        if (count === 0) this.blockedIterators.delete(iterator);
        else this.blockedIterators.set(iterator, count);
      }
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

  /**
   * A payload from the worker that will never be decoded: release the objects and iterators it
   * carries (the worker counted them as sent), so that they do not stay in its table and their
   * generators get closed. A `start` reply also carries its new iterator's id outside any marker.
   */
  releaseUnread(message: PackedFields & { readonly encoded?: boolean }, payload: unknown, startReply = false): void {
    const handles = message.packed ? (message.carried ?? []).map(([id, count]) => [id, count] as [number, number]) : message.encoded ? carriedIds(payload, WORKER_REFERENCES) : [];
    const iterator = startReply && !message.packed ? (payload as { iterator?: unknown } | undefined)?.iterator : undefined;
    if (typeof iterator === "number") handles.push([iterator, 1]);
    if (handles.length > 0) this.postRequest({ op: "release", handles });
  }

  /**
   * Block this thread until `call` settles, `timeoutMs` passes or `signal` aborts. Every message
   * read meanwhile is dispatched, whoever it is for: replies to other calls, and callback requests,
   * which run here, on this thread, while it waits. Ctrl-C interrupts the wait (see `interrupt`).
   */
  waitFor(call: PendingCall, timeoutMs = Infinity, signal?: AbortSignal): "settled" | "timeout" | "aborted" | "interrupted" {
    if (call.settled !== undefined) return "settled";
    // Blocking here is fine even in a synchronizer's worker thread: this connection's worker is
    // another thread, whose event loop does not wait for this one. The one real deadlock, a
    // blocking call into the worker that is making it, is refused in local-api.ts.
    // (No clock read when nothing is timed: most blocking calls.)
    const started = timeoutMs === Infinity && !this.options.blockingWarningMs ? 0 : performance.now();
    const deadline = timeoutMs === Infinity ? Infinity : started + timeoutMs;
    // Past this point, a warning names the call (a deadlock on this thread's event loop looks like this).
    const warnAt = this.options.blockingWarningMs ? started + this.options.blockingWarningMs : Infinity;
    this.blockedOn.set(call.id, call);
    enterWait();
    try {
      const done = () => call.settled !== undefined || signal?.aborted === true;
      let ended = this.receiveUntil(done, Math.min(deadline, warnAt), true);
      if (ended === "timeout" && warnAt < deadline && !done()) {
        warnBlocked(call.describe(), performance.now() - started);
        ended = this.receiveUntil(done, deadline, true);
      }
      if (ended === "interrupted") {
        interrupt(this, [...this.blockedOn.values()]);
        return "interrupted";
      }
      if (call.settled !== undefined) return "settled";
      return ended === "timeout" ? "timeout" : "aborted";
    } finally {
      leaveWait();
      this.blockedOn.delete(call.id);
    }
  }

  /**
   * The receive loop of a blocked thread: dispatch what arrives until `done()` holds, the deadline
   * passes, or (if `interruptible`) Ctrl-C interrupts the wait.
   */
  receiveUntil(done: () => boolean, deadline: number, interruptible: boolean): "done" | "timeout" | "interrupted" {
    const transport = this.host.transport;
    transport.blocking(1);
    try {
      for (;;) {
        const epoch = transport.epoch();
        for (let message = this.poll(); message !== undefined; message = this.poll()) {
          this.dispatch(message, true);
        }
        // A callback run above may have settled the call or aborted its signal.
        if (done()) return "done";
        if (interruptible && transport.takeInterrupt()) return "interrupted";
        const remaining = deadline === Infinity ? Infinity : deadline - performance.now();
        if (remaining <= 0) return "timeout";
        transport.wait(epoch, remaining);
      }
    } finally {
      transport.blocking(-1);
    }
  }

  /** The next message, if any; one that cannot be deserialized becomes a notice, never an exception lost in the loop. */
  private poll(): ReturnType<WorkerHost["transport"]["poll"]> {
    try {
      return this.host.transport.poll();
    } catch (error) {
      return { t: "undeliverable", error };
    }
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
    for (let message = this.poll(); message !== undefined; message = this.poll()) {
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
      this.callbackServer.serve(request, blocked);
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
    // The one field of each op that carries user values.
    const field = op.op === "call" || op.op === "construct" || op.op === "start" ? "args" : op.op === "set" || op.op === "iter" ? "value" : op.op === "cancel" ? "reason" : undefined;
    try {
      if (field === undefined) this.postEncoded(undefined, () => ({ t: "req", id, ...op }));
      else if (op.op === "call") this.postEncoded(op.args, (args, extra) => (extra === NO_EXTRA ? { t: "req", id, op: "call", target: op.target, args: args as unknown[] } : { t: "req", id, ...op, args: args as unknown[], ...extra }), true);
      else this.postEncoded((op as unknown as Record<string, unknown>)[field], (value, extra) => ({ t: "req", id, ...op, [field]: value, ...extra }) as Message, field === "args");
    } catch (error) {
      throw argumentCloneFailure(op, error);
    }
  }

  /** Post a reply to one of the worker's requests (a callback's result). */
  postReply(id: number, ok: boolean, payload: unknown): void {
    this.postEncoded(payload, (value, extra) => (ok ? { t: "res", id, ok: true, value, ...extra } : { t: "res", id, ok: false, error: value, ...extra }));
  }

  /** Encode `payload`, build the message around it and post it; undo the callbacks it registered if that fails. */
  private postEncoded(payload: unknown, build: (value: unknown, extra: { encoded?: true } & PackedFields) => Message, argumentList = false): void {
    if (this.exitError) return;
    this.callbacks.beginMessage();
    let posted = false;
    try {
      const { value, encoded, deep } = encodeValue(payload, this.encodeHooks, argumentList);
      const packed = deep ? pack(value) : undefined;
      const extra = !encoded && packed === undefined ? NO_EXTRA : {
        ...(encoded && { encoded: true as const }),
        ...(packed !== undefined && { packed: true as const, carried: countIds(this.callbacks.journaled()) }),
      };
      this.host.transport.post(build(packed ?? value, extra));
      posted = true;
    } finally {
      this.callbacks.endMessage(posted);
    }
  }
}
