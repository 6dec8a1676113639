/**
 * Validation of the Synchronizer's options, and what a time limit means.
 *
 * Node's timers hold at most 2^31-1 ms: a longer delay fires after 1 ms (with a
 * TimeoutOverflowWarning), which would turn "a very long timeout" into "an immediate one". So every
 * time limit is normalized once, here and in `.with()`: a number of milliseconds up to that bound
 * is kept, anything longer (Infinity included) means "no limit" and becomes Infinity, which the
 * code that arms timers checks for (see `armTimer`).
 */
import type { SynchronizerOptions } from "./core.js";

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

/**
 * Every option and its check. Typed against SynchronizerOptions, so that a new option cannot be
 * added to the interface without being listed (and validated) here.
 */
const checks: { readonly [K in keyof Required<SynchronizerOptions>]: (value: unknown) => string | undefined } = {
  execArgv: (value) => (Array.isArray(value) && value.every((flag) => typeof flag === "string") ? undefined : "must be an array of strings"),
  resourceLimits: checkResourceLimits,
  restart: booleanCheck,
  terminateOnTimeout: booleanCheck,
  closeTimeoutMs: limitCheck,
  timeout: limitCheck,
  loadTimeout: limitCheck,
  shutdownTimeout: limitCheck,
  blockingWarningMs: limitCheck,
  threads: checkThreads,
  setup: (value) => (typeof value === "string" || value instanceof URL ? undefined : `must be a module path or URL (a string or a URL), not ${describe(value)}`),
};

function describe(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : value === null ? "null" : Array.isArray(value) ? "an array" : typeof value === "object" ? "an object" : String(value);
}

const threadKeys = ["max", "min", "idleTimeoutMs", "maxQueue"];

function positiveInteger(value: unknown): boolean {
  return typeof value === "number" && Number.isInteger(value) && value >= 1;
}

/** `threads`: a whole number >= 1, or `{ max, min?, idleTimeoutMs?, maxQueue? }` with min <= max. */
function checkThreads(value: unknown): string | undefined {
  if (typeof value === "number") return positiveInteger(value) ? undefined : `must be a whole number of threads >= 1, not ${String(value)}`;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return `must be a number of threads or an object { max, min, idleTimeoutMs, maxQueue }, not ${describe(value)}`;
  }
  const given = value as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!threadKeys.includes(key)) return `has an unknown field "${key}" (known: ${threadKeys.join(", ")})`;
  }
  const { max, min, idleTimeoutMs, maxQueue } = given;
  if (!positiveInteger(max)) return `.max must be a whole number of threads >= 1, not ${describe(max)}`;
  if (min !== undefined && !(typeof min === "number" && Number.isInteger(min) && min >= 0)) return `.min must be a whole number >= 0, not ${describe(min)}`;
  if (typeof min === "number" && min > (max as number)) return `.min (${min}) must not be more than .max (${String(max)})`;
  if (idleTimeoutMs !== undefined && !isTimeLimit(idleTimeoutMs)) return `.idleTimeoutMs ${limitCheck(idleTimeoutMs)!}`;
  if (maxQueue !== undefined && !(maxQueue === Infinity || (typeof maxQueue === "number" && Number.isInteger(maxQueue) && maxQueue >= 0))) {
    return `.maxQueue must be a whole number >= 0 (Infinity: no limit), not ${describe(maxQueue)}`;
  }
  return undefined;
}

const resourceLimitKeys = ["maxOldGenerationSizeMb", "maxYoungGenerationSizeMb", "codeRangeSizeMb", "stackSizeMb"];

function booleanCheck(value: unknown): string | undefined {
  return typeof value === "boolean" ? undefined : `must be a boolean, not ${typeof value}`;
}

function limitCheck(value: unknown): string | undefined {
  return isTimeLimit(value) ? undefined : `must be a non-negative number of milliseconds (Infinity: no limit), not ${typeof value === "string" ? JSON.stringify(value) : String(value)}`;
}

function checkResourceLimits(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "must be an object";
  for (const [key, limit] of Object.entries(value)) {
    if (!resourceLimitKeys.includes(key)) return `has an unknown field "${key}" (known: ${resourceLimitKeys.join(", ")})`;
    if (typeof limit !== "number" || !Number.isFinite(limit) || limit <= 0) return `.${key} must be a positive number of megabytes, not ${String(limit)}`;
  }
  return undefined;
}

/**
 * Check the options given to `new Synchronizer(options)` (throwing a TypeError that names the
 * option) and return them with their time limits normalized.
 */
export function validateOptions(options: unknown): SynchronizerOptions {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`new Synchronizer(options): options must be an object, not ${options === null ? "null" : typeof options}`);
  }
  const given = options as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!Object.hasOwn(checks, key)) {
      throw new TypeError(`new Synchronizer(options): unknown option "${key}" (known: ${Object.keys(checks).join(", ")})`);
    }
    const value = given[key];
    if (value === undefined) continue;
    const problem = checks[key as keyof typeof checks](value);
    if (problem !== undefined) throw new TypeError(`new Synchronizer(options): options.${key}${problem.startsWith(".") ? "" : " "}${problem}`);
  }
  const valid = given as SynchronizerOptions;
  return {
    ...valid,
    ...(valid.timeout !== undefined && { timeout: normalizeLimit(valid.timeout) }),
    ...(valid.loadTimeout !== undefined && { loadTimeout: normalizeLimit(valid.loadTimeout) }),
    ...(valid.closeTimeoutMs !== undefined && { closeTimeoutMs: normalizeLimit(valid.closeTimeoutMs) }),
    ...(valid.shutdownTimeout !== undefined && { shutdownTimeout: normalizeLimit(valid.shutdownTimeout) }),
  };
}
