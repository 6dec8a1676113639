/**
 * The forms of a wrapped function: calling it blocks, `.aio(...)` returns a Promise, `.future(...)`
 * returns a Future. All send the same request and differ only in how the caller waits for the
 * reply. Generator functions return iterators instead (blocking or async), started lazily.
 * `.with(options)` gives the same forms with per-call options.
 */
import type { RequestOp, Target } from "../../protocol/messages.js";
import type { FunctionKind } from "../../protocol/shapes.js";
import { withDefaults, type Requester } from "./requester.js";
import type { CallControl } from "../wire/connection.js";
import { describeType } from "../../protocol/describe.js";
import { isTimeLimit, normalizeLimit } from "../support/time-limits.js";
import type { Future } from "./future.js";
import { AsyncRemoteGenerator, RemoteGenerator } from "./iterators.js";
import { IterationState } from "./iteration-state.js";
import { captureSite } from "../support/site.js";
import { withCallerFrames } from "../support/stack.js";

/** Options for the calls made through `f.with(options)`. */
export interface CallOptions {
  /**
   * Cancels the call: the caller gets the signal's reason (an AbortError) at once, and the task in
   * the worker sees its own AbortSignal (`currentSignal()` from `synchronicity-js/worker`) abort.
   */
  readonly signal?: AbortSignal;
  /**
   * Milliseconds before the call fails with a TimeoutError; the task in the worker is aborted as
   * above, and a late reply is dropped. For generators, it applies to each step.
   */
  readonly timeout?: number;
  /**
   * Generators only: let the worker produce up to this many items ahead of the consumer, so that
   * bulk iteration costs one round trip per batch instead of one per item. Default 0 (lockstep).
   */
  readonly readAhead?: number;
}

export interface CallableForms {
  (...args: unknown[]): unknown;
  aio(...args: unknown[]): unknown;
  future(...args: unknown[]): Future<unknown>;
  with(options: CallOptions): CallableForms;
}

const knownOptions = new Set(["signal", "timeout", "readAhead"]);

function validateCallOptions(name: string, options: unknown): CallOptions {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`${name}.with(options): options must be an object, not ${options === null ? "null" : typeof options}`);
  }
  for (const key of Object.keys(options)) {
    if (!knownOptions.has(key)) throw new TypeError(`${name}.with(options): unknown option "${key}" (known: ${[...knownOptions].join(", ")})`);
  }
  const { readAhead, timeout, signal } = options as CallOptions;
  if (readAhead !== undefined && (!Number.isInteger(readAhead) || readAhead < 0)) {
    throw new TypeError(`${name}.with(options): readAhead must be a non-negative integer, not ${String(readAhead)}`);
  }
  if (timeout !== undefined && !isTimeLimit(timeout)) {
    throw new TypeError(`${name}.with(options): timeout must be a non-negative number of milliseconds (Infinity: no limit), not ${String(timeout)}`);
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new TypeError(`${name}.with(options): signal must be an AbortSignal, not ${describeType(signal)}`);
  }
  return timeout === undefined ? (options as CallOptions) : { ...(options as CallOptions), timeout: normalizeLimit(timeout)! };
}

export function makeCallable(core: Requester, target: Target, name: string, kind: FunctionKind, options: CallOptions = {}): CallableForms {
  const generator = kind === "generator" || kind === "async-generator";
  const control: CallControl = {
    ...(options.signal && { signal: options.signal }),
    ...(options.timeout !== undefined && { timeoutMs: options.timeout }),
  };
  const forms = generator ? generatorForms(core, target, name, options, control) : functionForms(core, target, name, control);
  const withOptions = (more: CallOptions) => makeCallable(core, target, name, kind, { ...options, ...validateCallOptions(name, more) });
  return Object.assign(forms.blocking, { aio: forms.aio, future: forms.future, with: withOptions }) as CallableForms;
}

/** Gives `fn` the implementation's name (stack traces, debuggers). */
function named<F extends (...args: never[]) => unknown>(name: string, fn: F): F {
  Object.defineProperty(fn, "name", { value: name, configurable: true });
  return fn;
}

function functionForms(core: Requester, target: Target, name: string, control: CallControl) {
  const request = (args: unknown[]): RequestOp => ({ op: "call", target, args });
  return {
    blocking: named(name, (...args: unknown[]): unknown => {
      try {
        return core.requestSync(request(args), control);
      } catch (error) {
        throw withCallerFrames(error, captureSite());
      }
    }),
    aio: named(name, async (...args: unknown[]): Promise<unknown> => {
      try {
        return await core.requestAsync(request(args), control);
      } catch (error) {
        // Created after the await, this site carries the awaiting caller's async frames.
        throw withCallerFrames(error, captureSite());
      }
    }),
    future: named(name, (...args: unknown[]): Future<unknown> => core.requestFuture(request(args), control)),
  };
}

function generatorForms(core: Requester, target: Target, name: string, options: CallOptions, control: CallControl) {
  const iteration = { readAhead: options.readAhead ?? 0, closeTimeoutMs: core.closeTimeoutMs, control: withDefaults(control, core.defaultTimeoutMs) };
  const state = (args: unknown[]) =>
    new IterationState(iteration, { target, args, connect: () => core.connectionFor({ op: "start", target, args }) });
  return {
    // Nothing is sent until the first next(): like calling a generator function.
    blocking: named(name, (...args: unknown[]) => new RemoteGenerator(state(args))),
    aio: named(name, (...args: unknown[]) => new AsyncRemoteGenerator(state(args))),
    future: named(name, (): never => {
      throw new TypeError(`${name} is a generator function: futures are not available for it; iterate ${name}(...) or ${name}.aio(...) instead`);
    }),
  };
}
