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
import type { ControlMessage, Message, PackedFields, RequestOp } from "../../protocol/messages.js";
import { decodeValue, type DecodeHooks } from "../../protocol/value-decoding.js";
import { isStackOverflow, messageOf } from "../../protocol/describe.js";
import { receiveFailure, unpack } from "../../protocol/packing.js";
import { InterruptedError, TimeoutError, WorkerExitError } from "../../errors.js";
import { HandleRefs } from "../../protocol/handle-refs.js";
import { HandleTable } from "../../protocol/handle-table.js";
import { ClassTable } from "./classes.js";
import { timeoutError } from "./request-errors.js";
import { PendingCall } from "./pending.js";
import { PendingCalls } from "./pending-calls.js";
import { checkStackRoom } from "../support/stack-room.js";
import { armTimer } from "../support/time-limits.js";
import { interrupt, startShutdown, type ShutdownWait } from "./shutdown.js";
import { traceCall, tracingActive, type CallForm } from "./tracing.js";
import { Outbox } from "./outbox.js";
import { Inbox } from "./inbox.js";
import { Supervision, type SignalMechanism } from "./supervision.js";
import { ReceiveLoop, type CallbackOrigin, type WaitEnd } from "./receive-loop.js";
import type { WorkerHost } from "../host/worker-host.js";
import type { CallControl, ConnectionHooks, ConnectionOptions } from "./terms.js";

export type { CallbackRequest, CallControl, ConnectionHooks, ConnectionOptions } from "./terms.js";

export class Connection {
  readonly classes: ClassTable;
  /** Local objects standing for worker objects, released when collected. */
  readonly refs = new HandleRefs((handles) => this.postRequest({ op: "release", handles }));
  /** The caller's functions the worker holds, as callbacks. */
  readonly callbacks = new HandleTable();
  private readonly decodeHooks: DecodeHooks;
  private readonly outbox: Outbox;
  private readonly receiver: ReceiveLoop;
  private readonly inbox: Inbox;
  private readonly pending: PendingCalls;
  private nextId = 1;
  private exitError: Error | undefined;
  /** Set once the worker was asked to shut down: the cleanup runs (and is waited for) once. */
  shutdownStarted = false;
  private readonly supervision: Supervision;

  constructor(
    private readonly host: WorkerHost,
    readonly options: ConnectionOptions,
    private readonly onExit: (error: WorkerExitError) => void,
    /** Builds the hooks of the layer above for this connection (they refer back to it). */
    hooksFor: (connection: Connection) => ConnectionHooks,
  ) {
    this.supervision = new Supervision(() => host.startSupervisor());
    const hooks = hooksFor(this);
    this.classes = new ClassTable(hooks.createProxyClass);
    this.decodeHooks = hooks.decode;
    this.pending = new PendingCalls(host.transport);
    this.outbox = new Outbox(host.transport, this.callbacks, hooks.encode, hooks.sentByReference);
    const inbox = new Inbox(this, this.pending, hooks.serveCallback);
    this.inbox = inbox;
    this.receiver = new ReceiveLoop(
      host.transport,
      (message, blocked) => inbox.dispatch(message, blocked),
      options.blockingWarningMs,
      (blocked) => interrupt(this, blocked),
      host,
    );
    host.transport.listen((message) => inbox.dispatch(message, false));
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
    this.supervision.release();
  }

  supervisorOnline(signals: SignalMechanism): void {
    this.supervision.online(signals);
  }

  /** How Ctrl-C reaches this thread while it blocks (known once the supervisor runs). */
  get signals(): SignalMechanism | undefined {
    return this.supervision.signals;
  }

  /** Starts the supervisor if need be; resolves once it runs (Ctrl-C is watched from then on), or the worker has ended. */
  supervisorReady(): Promise<void> {
    return this.supervision.ready(this.exitError !== undefined);
  }

  /** Whether the worker's loop has started (a module load that times out before it did never began). */
  get workerRunning(): boolean {
    return this.host.running;
  }

  /** Whether a callback request must finish synchronously (see ReceiveLoop.waitsFor). */
  waitsFor(request: CallbackOrigin): boolean {
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
    const call = new PendingCall(id, keepsAlive, op);
    this.pending.add(call);
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
   * call with its error at once and tells the worker to abort the task. `timedOut` makes the
   * timeout's error (a module load says which module, and whether the worker had started).
   */
  limit(call: PendingCall, control: CallControl, timedOut: (timeoutMs: number) => unknown = timeoutError): void {
    const { signal, timeoutMs } = control;
    if (signal === undefined && (timeoutMs === undefined || timeoutMs === Infinity)) return;
    const onAbort = () => this.stop(call, signal!.reason);
    const timer = timeoutMs === undefined ? undefined : armTimer(timeoutMs, () => this.stop(call, timedOut(timeoutMs)));
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
    this.pending.abandon(call);
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
    return this.host.unhandledSignals();
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

  /** Route one message (see inbox.ts); `blocked`: read by a blocked thread's receive loop. */
  dispatch(message: Message | ControlMessage, blocked: boolean): void {
    this.inbox.dispatch(message, blocked);
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

  /** The supervisor's notice that the worker ended: every pending call fails, later ones too. */
  workerExited(reason: string, code: number, encodedCause: unknown): void {
    if (this.exitError) return;
    const cause = encodedCause === undefined ? undefined : decodeValue(encodedCause, this.decodeHooks);
    const error = new WorkerExitError(`${reason}; calls in flight were abandoned`, {
      exitCode: code,
      ...(cause !== undefined && { cause }),
    });
    this.exitError = error;
    this.outbox.stopped = true;
    this.failAll(error);
    this.supervision.release();
    this.onExit(error);
  }

  /** Settle every pending call with `error` (worker gone, synchronizer closed). */
  failAll(error: Error): void {
    for (const call of this.pending.takeAll()) call.settle({ ok: false, error });
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
