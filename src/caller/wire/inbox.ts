/**
 * Where every message from the worker goes, read by the event handler or by a blocked thread's
 * receive loop alike: replies settle their pending calls, the worker's requests (callbacks,
 * releases) are served, the supervisor's notices end the connection.
 */
import type { ControlMessage, Message, PackedFields, Reply, Request, WorkerOnlineNotice } from "../../protocol/messages.js";
import type { HandleTable } from "../../protocol/handle-table.js";
import { messageOf } from "../../protocol/describe.js";
import { DataCloneError } from "../../errors.js";
import { markRemote } from "../support/stack.js";
import type { ClassTable } from "./classes.js";
import type { PendingCall } from "./pending.js";
import type { PendingCalls } from "./pending-calls.js";
import type { CallbackRequest } from "./terms.js";

/**
 * What the inbox routes into: its connection. Spelled out here rather than imported, so that
 * connection.ts can own an inbox without the two importing each other.
 */
export interface Routed {
  readonly classes: ClassTable;
  readonly callbacks: HandleTable;
  /** The supervisor's "online" notice: it runs, and Ctrl-C reaches a blocked caller by `signals`. */
  supervisorOnline(signals: WorkerOnlineNotice["signals"]): void;
  receive(message: PackedFields & { readonly encoded?: boolean }, payload: unknown, what: string): unknown;
  releaseUnread(message: PackedFields & { readonly encoded?: boolean }, payload: unknown, startReply?: boolean): void;
  workerExited(reason: string, code: number, encodedCause: unknown): void;
  abandon(call: PendingCall): void;
}

export class Inbox {
  constructor(
    private readonly connection: Routed,
    private readonly pending: PendingCalls,
    /** Runs one of the caller's functions for the worker (the layer above's hook). */
    private readonly serveCallback: (request: CallbackRequest, blocked: boolean) => void,
  ) {}

  dispatch(message: Message | ControlMessage, blocked: boolean): void {
    switch (message.t) {
      case "res":
        this.settle(message);
        return;
      case "req":
        this.serve(message, blocked);
        return;
      case "online":
        this.connection.supervisorOnline(message.signals);
        return;
      case "exit":
        this.connection.workerExited(message.reason, message.code, message.error);
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
    for (const call of this.pending.all()) {
      this.connection.abandon(call);
      call.settle({ ok: false, error });
    }
  }

  /** A request from the worker: call one of the caller's functions, or release some. */
  private serve(request: Request, blocked: boolean): void {
    this.connection.classes.define(request.defs);
    if (request.op === "release") {
      for (const [id, received] of request.handles) this.connection.callbacks.release(id, received);
    } else if (request.op === "undeliverable") {
      this.lostMessage(`the worker could not receive a message from this thread (${request.reason})`, undefined);
    } else if (request.op === "callback") {
      this.serveCallback(request, blocked);
    }
  }

  private settle(reply: Reply): void {
    this.connection.classes.define(reply.defs);
    const call = this.pending.take(reply.id);
    if (call === undefined) {
      // Cancelled or timed out: the late reply is dropped, and the worker objects it carries released.
      this.connection.releaseUnread(reply, reply.ok ? reply.value : reply.error, this.pending.wasAbandonedStart(reply.id));
      return;
    }
    try {
      if (reply.ok) {
        call.settle({ ok: true, value: this.connection.receive(reply, reply.value, "the reply") });
      } else {
        const error = this.connection.receive(reply, reply.error, "the error thrown");
        markRemote(error);
        call.settle({ ok: false, error });
      }
    } catch (error) {
      call.settle({ ok: false, error });
    }
  }
}
