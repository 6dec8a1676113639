/**
 * The calls of one connection waiting for their reply, by id. Async calls among them keep the
 * caller's event loop alive (the transport's keepAlive) while there is at least one.
 */
import type { CallerTransport } from "../../protocol/transport.js";
import type { PendingCall } from "./pending.js";

export class PendingCalls {
  private readonly calls = new Map<number, PendingCall>();
  /** `start` requests given up on before their reply: the reply names a new iterator to release. */
  private readonly abandonedStarts = new Set<number>();
  private liveAsyncCalls = 0;

  constructor(private readonly transport: CallerTransport) {}

  get size(): number {
    return this.calls.size;
  }

  add(call: PendingCall): void {
    this.calls.set(call.id, call);
    if (call.keepsAlive && this.liveAsyncCalls++ === 0) this.transport.keepAlive(true);
  }

  /** The call a reply is for, no longer pending; undefined if it was given up on (or never was). */
  take(id: number): PendingCall | undefined {
    const call = this.calls.get(id);
    if (call === undefined) return undefined;
    this.calls.delete(id);
    if (call.keepsAlive && --this.liveAsyncCalls === 0) this.transport.keepAlive(false);
    return call;
  }

  /** Stop waiting for `call`: its reply, if it ever comes, is dropped. */
  abandon(call: PendingCall): void {
    if (!this.calls.delete(call.id)) return;
    if (call.startsIterator) this.abandonedStarts.add(call.id);
    if (call.keepsAlive && --this.liveAsyncCalls === 0) this.transport.keepAlive(false);
  }

  /** Whether the late reply `id` answers a `start` given up on (asked once: forgotten then). */
  wasAbandonedStart(id: number): boolean {
    return this.abandonedStarts.delete(id);
  }

  /** The calls pending now (a copy: settling them may change the table). */
  all(): PendingCall[] {
    return [...this.calls.values()];
  }

  /** Every call, none pending any more (worker gone, synchronizer closed). */
  takeAll(): PendingCall[] {
    const calls = [...this.calls.values()];
    this.calls.clear();
    if (this.liveAsyncCalls > 0) this.transport.keepAlive(false);
    this.liveAsyncCalls = 0;
    return calls;
  }
}
