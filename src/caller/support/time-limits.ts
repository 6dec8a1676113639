/**
 * What a time limit means (options, `.with()`, and the timers that enforce them).
 *
 * Node's timers hold at most 2^31-1 ms: a longer delay fires after 1 ms (with a
 * TimeoutOverflowWarning), which would turn "a very long timeout" into "an immediate one". So every
 * time limit is normalized once, when the options are validated and in `.with()`: a number of milliseconds up to that bound
 * is kept, anything longer (Infinity included) means "no limit" and becomes Infinity, which the
 * code that arms timers checks for (see `armTimer`).
 */

/** The longest delay a Node timer can hold. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A validated time limit: `undefined` stays unset, beyond a timer's range means no limit (Infinity). */
export function normalizeLimit(value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  return value > MAX_TIMER_MS ? Infinity : value;
}

/** setTimeout for a time limit: none at all for Infinity (never a timer that fires early). */
export function armTimer(ms: number, onTimeout: () => void): NodeJS.Timeout | undefined {
  return ms === Infinity ? undefined : setTimeout(onTimeout, Math.min(ms, MAX_TIMER_MS));
}

/** Whether `value` is a usable time limit: a number >= 0 (not NaN); Infinity means no limit. */
export function isTimeLimit(value: unknown): value is number {
  return typeof value === "number" && !Number.isNaN(value) && value >= 0;
}
