/**
 * Tasks that started before calls were tracked (call-context.ts) and are still running.
 *
 * A callback request names the call whose task made it, so that a caller blocked in exactly that
 * call runs the callback synchronously instead of waiting for a promise that cannot settle while
 * it is blocked. A task that started before calls were tracked has no context to name. Until such
 * tasks are over, a callback request made in no context lists them all instead: a caller blocked
 * on any of them treats the callback as its own (refusing a promise, as it would if it were named).
 * The list is short-lived: the switch happens when the caller's first function arrives, and the
 * tasks running then are the few that started before it.
 */
import { whenCallsTracked } from "./call-context.js";

/**
 * The iterator ids of read-ahead pumps that started before calls were tracked, while they run
 * (read-ahead.ts keeps it): their callbacks name no iterator.
 */
export const untrackedPumps = new Set<number>();

/** Where a callback made outside any call context may come from (see the `callback` request). */
export interface UntrackedOrigins {
  readonly calls: readonly number[];
  readonly iterators: readonly number[];
}

export class UntrackedTasks {
  /** The requests running when calls began to be tracked, until each has ended. */
  private calls: Set<number> | undefined;

  constructor(private readonly running: ReadonlyMap<number, unknown>) {
    whenCallsTracked(() => {
      if (running.size > 0) this.calls = new Set(running.keys());
    });
  }

  /** The requests and read-ahead iterators a callback made outside any call context may come from; undefined if none. */
  origins(): UntrackedOrigins | undefined {
    const calls: number[] = [];
    if (this.calls !== undefined) {
      for (const id of this.calls) {
        if (this.running.has(id)) calls.push(id);
        else this.calls.delete(id);
      }
      if (this.calls.size === 0) this.calls = undefined;
    }
    if (calls.length === 0 && untrackedPumps.size === 0) return undefined;
    return { calls, iterators: [...untrackedPumps] };
  }
}
