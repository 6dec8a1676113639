/**
 * Tracing of the requests a caller makes, for people and for tools:
 *
 * - `NODE_DEBUG=synchronicity` (Node's own convention) or `SYNCHRONICITY_DEBUG=1` (or `=calls`)
 *   writes one line per call to stderr when it ends: id, name, form, duration and outcome;
 * - every call is published on the `node:diagnostics_channel` tracing channel
 *   `synchronicity:call` (start/end, plus asyncStart/asyncEnd for `.aio` and `.future`, and error),
 *   the way Node publishes `fetch` and database drivers publish queries, so APM tools can make spans.
 *
 * Zero cost when nobody listens: the connection asks `tracing.active()` (a boolean and a few
 * `hasSubscribers` reads) before doing anything else here.
 */
import type * as DiagnosticsChannel from "node:diagnostics_channel";
import { diagnosticsChannel } from "../../builtins.js";
import { writeSync } from "node:fs";
import type { RequestOp } from "../../protocol/messages.js";
import type { PendingCall, Settled } from "./pending.js";
import { nowMs } from "../../protocol/clock.js";

/** How a call was made: `api.f(...)` (blocking), `api.f.aio(...)`, or `api.f.future(...)`. */
export type CallForm = "blocking" | "aio" | "future";

/** The context object published on the channel; subscribers may add their own fields (a span). */
export interface CallTraceContext {
  /** The request id (unique per worker connection; the worker's `currentCall().id` is the same). */
  readonly id: number;
  /** What was called: an export ("square"), a static ("DB.open"), a member of a worker object ("#3.query"). */
  readonly name: string;
  /** The request's kind: call, construct, get, set, start (a generator's first step), iter. */
  readonly op: string;
  readonly form: CallForm;
  /** Set when the call ends with a value. */
  result?: unknown;
  /** Set when the call ends with an error. */
  error?: unknown;
}

/** The name of the tracing channel (`diagnostics_channel.tracingChannel(CHANNEL)`). */
export const CHANNEL = "synchronicity:call";

const traced = new Set(["call", "construct", "get", "set", "start", "iter"]);

function envEnabled(): boolean {
  const nodeDebug = process.env["NODE_DEBUG"] ?? "";
  if (nodeDebug.split(/[\s,]+/).some((name) => /^synchronicity$/i.test(name) || name === "*")) return true;
  return /^(1|true|yes|calls)$/i.test(process.env["SYNCHRONICITY_DEBUG"] ?? "");
}

const logging = envEnabled();

type Channels = ReturnType<typeof DiagnosticsChannel.tracingChannel<string, CallTraceContext>>;
// Opened on the first request, not at import (see builtins.ts); null where the runtime has no
// tracing channels (Bun and Deno may lack them): there, calls are only logged (when asked).
let channels: Channels | null | undefined;

function openChannels(): Channels | null {
  const { tracingChannel } = diagnosticsChannel();
  return typeof tracingChannel === "function" ? tracingChannel<string, CallTraceContext>(CHANNEL) : null;
}

function subscribed(): boolean {
  channels ??= openChannels();
  if (channels === null) return false;
  const { start, end, asyncStart, asyncEnd, error } = channels;
  return start.hasSubscribers || end.hasSubscribers || asyncStart.hasSubscribers || asyncEnd.hasSubscribers || error.hasSubscribers;
}

/** Whether anything wants to see calls (checked per request; cheap). */
export function tracingActive(): boolean {
  return logging || subscribed();
}

/** Trace `call` from now until it settles. Only called when tracingActive(). */
export function traceCall(call: PendingCall, op: RequestOp, form: CallForm): void {
  if (!traced.has(op.op)) return;
  const context: CallTraceContext = { id: call.id, name: describe(op), op: op.op, form };
  const started = nowMs();
  const publish = subscribed() ? channels! : undefined;
  publish?.start.publish(context);
  // The synchronous part of an async call ends once it is sent; a blocking call ends when it returns.
  if (form !== "blocking") publish?.end.publish(context);
  call.onSettle((outcome: Settled) => {
    if (outcome.ok) context.result = outcome.value;
    else context.error = outcome.error;
    if (publish) {
      if (!outcome.ok) publish.error.publish(context);
      if (form === "blocking") publish.end.publish(context);
      else {
        publish.asyncStart.publish(context);
        publish.asyncEnd.publish(context);
      }
    }
    if (logging) log(context, nowMs() - started);
  });
}

function describe(op: RequestOp): string {
  if (op.op === "iter") return `iterator #${op.iterator}.${op.how}`;
  if (!("target" in op)) return op.op;
  const target = op.target;
  if ("module" in target) return target.member === undefined ? target.name : `${target.name}.${target.member}`;
  return target.name === null ? `#${target.handle}` : `#${target.handle}.${target.name}`;
}

function outcomeOf(context: CallTraceContext): string {
  if (!("error" in context)) return "ok";
  const error = context.error as { name?: unknown; message?: unknown } | undefined;
  return error && typeof error === "object" ? `threw ${String(error.name)}: ${String(error.message)}` : `threw ${String(error)}`;
}

function log(context: CallTraceContext, ms: number): void {
  // Written at once, straight to fd 2: a blocked caller's event loop could not flush a stream.
  const line = `SYNCHRONICITY ${process.pid}: #${context.id} ${context.op} ${context.name} ${context.form} ${ms.toFixed(1)} ms ${outcomeOf(context)}\n`;
  try {
    writeSync(2, line);
  } catch {
    // stderr closed: nothing to report to.
  }
}
