/**
 * The three forms of a wrapped function: calling it blocks, `.aio(...)` returns a Promise,
 * `.future(...)` returns a Future. All three send the same request; they differ only in how the
 * caller waits for the reply.
 */
import type { RequestOp, Target } from "../protocol/messages.js";
import type { Core } from "./core.js";
import type { Future } from "./future.js";
import { captureSite } from "./site.js";
import { withCallerFrames } from "./stack.js";

export interface CallableForms {
  (...args: unknown[]): unknown;
  aio(...args: unknown[]): Promise<unknown>;
  future(...args: unknown[]): Future<unknown>;
}

export function makeCallable(core: Core, target: Target, name: string): CallableForms {
  const request = (args: unknown[]): RequestOp => ({ op: "call", target, args });
  // Computed keys give each function the implementation's name (stack traces, debuggers).
  const blocking = {
    [name](...args: unknown[]): unknown {
      try {
        return core.requestSync(request(args));
      } catch (error) {
        throw withCallerFrames(error, captureSite());
      }
    },
  }[name]!;
  const aio = {
    async [name](...args: unknown[]): Promise<unknown> {
      try {
        return await core.requestAsync(request(args));
      } catch (error) {
        // Created after the await, this site carries the awaiting caller's async frames.
        throw withCallerFrames(error, captureSite());
      }
    },
  }[name]!;
  const future = {
    [name](...args: unknown[]): Future<unknown> {
      return core.requestFuture(request(args));
    },
  }[name]!;
  return Object.assign(blocking, { aio, future }) as CallableForms;
}
