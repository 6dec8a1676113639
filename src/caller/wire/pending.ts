/**
 * One request in flight, from the moment it is posted until its reply (or the worker's death)
 * settles it. Replies are routed here by id, either by the port's event handler (async calls) or by
 * a blocked caller's receive loop, which settles *every* reply it reads, not only the one it waits
 * for: a Future or `.aio` call whose reply arrives during a blocking call is settled then.
 */
export type Settled = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

export class PendingCall {
  private outcome: Settled | undefined;
  private listeners: Array<(outcome: Settled) => void> | undefined;

  constructor(
    readonly id: number,
    /** Whether this call keeps the caller's event loop alive (async calls and futures do). */
    readonly keepsAlive: boolean,
    /** What the request was, for messages about it ("square()", "db.query()"). */
    readonly describe: () => string = () => `request #${id}`,
    /** A `start` request: its reply names a new iterator (released if the reply comes too late). */
    readonly startsIterator = false,
  ) {}

  get settled(): Settled | undefined {
    return this.outcome;
  }

  settle(outcome: Settled): void {
    if (this.outcome !== undefined) return;
    this.outcome = outcome;
    const listeners = this.listeners;
    this.listeners = undefined;
    for (const listener of listeners ?? []) listener(outcome);
  }

  /** Run `listener` when settled (at once if already settled). */
  onSettle(listener: (outcome: Settled) => void): void {
    if (this.outcome !== undefined) listener(this.outcome);
    else (this.listeners ??= []).push(listener);
  }

  /** A promise of the value; created on demand so that an unobserved failure is not an unhandled rejection. */
  promise(): Promise<unknown> {
    return new Promise((resolve, reject) => this.onSettle((o) => (o.ok ? resolve(o.value) : reject(o.error))));
  }
}
