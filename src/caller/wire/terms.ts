/**
 * What a connection is given: its options, the limits of one call, and the hooks of the layer
 * above (caller/remote/hooks.ts), which the wire receives at construction and never imports.
 */
import type { Request } from "../../protocol/messages.js";
import type { ClassShape } from "../../protocol/shapes.js";
import type { EncodeHooks } from "../../protocol/values.js";
import type { DecodeHooks } from "../../protocol/value-decoding.js";
import type { AnyClass } from "./classes.js";

export interface ConnectionOptions {
  /** How long closing an iterator waits for its worker-side cleanup. */
  readonly closeTimeoutMs: number;
  /** The synchronizer's default timeout for calls that give none. */
  readonly defaultTimeoutMs: number | undefined;
  /** How long cleanup may take at process exit or after Ctrl-C (0: do not wait). */
  readonly shutdownTimeoutMs: number;
  /** A call that times out also terminates the worker (a stuck worker is replaced on the next call). */
  readonly terminateOnTimeout: boolean;
  /** A blocking call waiting longer than this prints a warning naming it (0 or undefined: never). */
  readonly blockingWarningMs?: number | undefined;
}

/** How long to wait, and what may cut the wait short. */
export interface CallControl {
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

export type CallbackRequest = Extract<Request, { op: "callback" }>;

/** What the layer above gives a connection: all it must not import. */
export interface ConnectionHooks {
  /** What the caller's values become on the wire (callbacks, references to worker objects, errors). */
  readonly encode: EncodeHooks;
  /** What the worker's markers become here (proxies, iterators, errors, classes). */
  readonly decode: DecodeHooks;
  /** Values the encoding sends as references: skipped when naming the argument that failed to copy. */
  sentByReference(value: object): boolean;
  /** Runs one of the caller's functions for the worker; `blocked`: read by a blocked thread's receive loop. */
  serveCallback(request: CallbackRequest, blocked: boolean): void;
  /** The local class standing for a worker class that is not an error class. */
  createProxyClass(shape: ClassShape, base: AnyClass | undefined): AnyClass;
}
