/**
 * The warning a blocking call prints when it has waited longer than `blockingWarningMs`.
 *
 * A blocking call freezes its thread's event loop. If what the worker waits for needs that event
 * loop (a server in the caller's thread, a timer or promise of the caller), the call can never
 * finish: a deadlock no library can detect in general, since the worker may just be slow. The
 * warning names the call and says what to look for; the call goes on waiting.
 */
import type { RequestOp } from "../../protocol/messages.js";

/** "square()", "db.query()" style names for the request a thread is blocked on. */
export function describeRequest(op: RequestOp): string {
  switch (op.op) {
    case "import":
      return `loading ${op.specifier}`;
    case "call":
    case "start":
      return `${targetName(op.target)}()`;
    case "construct":
      return `new ${targetName(op.target)}()`;
    case "get":
      return `reading ${targetName(op.target)}`;
    case "set":
      return `assigning ${targetName(op.target)}`;
    case "iter":
      return `${op.how}() on iterator #${op.iterator}`;
    default:
      return op.op;
  }
}

function targetName(target: Extract<RequestOp, { target: unknown }>["target"]): string {
  if ("module" in target) return target.member === undefined ? target.name : `${target.name}.${target.member}`;
  return target.name === null ? `function #${target.handle}` : `${target.name} (on object #${target.handle})`;
}

export function warnBlocked(what: string, waitedMs: number): void {
  const aio = /^[\w$.]+\(\)$/.test(what) ? ` (${what.slice(0, -2)}.aio(...))` : "";
  process.stderr.write(
    `synchronicity: the blocking call ${what} has waited ${Math.round(waitedMs)} ms for the worker and is still waiting. ` +
      `If the worker waits for something that needs this thread's event loop (a server, timer or promise of this thread), ` +
      `it can never finish while this thread blocks: use the async form there${aio}. ` +
      `(This warning comes from the Synchronizer's blockingWarningMs option.)\n`,
  );
}
