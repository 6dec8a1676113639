/** Validation of the Synchronizer's options (time limits are normalized as support/time-limits.ts says). */
import type { SynchronizerOptions } from "./settings.js";
import type { HostOptions } from "../host/worker-host.js";
import { isTimeLimit, normalizeLimit } from "../support/time-limits.js";

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

/**
 * Limits below which a worker thread cannot start safely. Measured: Node 20, 22 and 24 need 5, 6
 * and 8 MB of old generation to start a thread at all, and a thread that dies that early does so
 * before it holds the ports that would report its end, so a blocked caller would wait for nothing
 * (until its load timeout). A stack of 0.2 MB makes Node 20 end the whole process at the thread's
 * start. The floors leave room for the library and the implementation to load.
 */
const resourceLimitFloors: Readonly<Record<string, { readonly mb: number; readonly why: string }>> = {
  maxOldGenerationSizeMb: { mb: 16, why: "with less, Node cannot start a worker thread reliably (Node 24 needs 8 MB before any code runs)" },
  stackSizeMb: { mb: 1, why: "with less, the thread's start can overflow its stack, which ends the whole process" },
};

function checkResourceLimits(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "must be an object";
  for (const [key, limit] of Object.entries(value)) {
    if (!resourceLimitKeys.includes(key)) return `has an unknown field "${key}" (known: ${resourceLimitKeys.join(", ")})`;
    if (typeof limit !== "number" || !Number.isFinite(limit) || limit <= 0) return `.${key} must be a positive number of megabytes, not ${String(limit)}`;
    const floor = resourceLimitFloors[key];
    if (floor !== undefined && limit < floor.mb) return `.${key} must be at least ${floor.mb} (megabytes), not ${limit}: ${floor.why}`;
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

/** What starting a worker thread takes from the options. */
export function hostOptions(options: SynchronizerOptions): HostOptions {
  return {
    execArgv: options.execArgv ?? process.execArgv,
    ...(options.resourceLimits && { resourceLimits: options.resourceLimits }),
  };
}
