/**
 * The errors a caller builds about its own requests: a timeout, and an argument that cannot be
 * copied, named by position, path and type.
 */
import type { RequestOp } from "../../protocol/messages.js";
import { describeType, findUncloneable, isStackOverflow, messageOf, safely } from "../../protocol/describe.js";
import { DataCloneError, libraryErrorName, TimeoutError } from "../../errors.js";

export function timeoutError(timeoutMs: number): TimeoutError {
  return new TimeoutError(`the call did not finish within ${timeoutMs} ms; it was cancelled`);
}

/**
 * A module load that took longer than options.loadTimeout; if the worker thread itself had not
 * started by then, the module never began loading, and the error says so.
 */
export function loadTimeoutError(specifier: string, timeoutMs: number, workerRunning: boolean): TimeoutError {
  if (!workerRunning) {
    return new TimeoutError(
      `${specifier} did not finish loading within ${timeoutMs} ms (options.loadTimeout): the worker thread had not even started ` +
        "(a preload in its flags or NODE_OPTIONS that never finishes, or a machine too busy to start a thread?)",
    );
  }
  return new TimeoutError(`${specifier} did not finish loading within ${timeoutMs} ms (options.loadTimeout)`);
}

/**
 * A DataCloneError naming which argument (and where inside it) could not be copied.
 * `sentByReference` tells the values the encoding sends as references (the caller's functions,
 * proxies), which are never the part that failed.
 */
export function argumentCloneFailure(op: RequestOp, error: unknown, sentByReference: (value: object) => boolean): Error {
  // The library's own errors (a released proxy passed as an argument, ...) already say what is wrong.
  if (safely(() => error instanceof Error && libraryErrorName(error) !== undefined, false)) return error as Error;
  // Anything else was thrown while inspecting or cloning a user value (a getter, a Proxy trap, a
  // revoked Proxy, structured clone itself): a DataCloneError naming the value, with it as cause.
  const args = op.op === "call" || op.op === "construct" || op.op === "start" ? op.args : op.op === "set" || op.op === "iter" ? [op.value] : [];
  const reason = messageOf(error);
  const positionOf = (i: number) => (op.op === "set" ? "the value assigned" : op.op === "iter" ? "the value sent to the iterator" : `argument ${i + 1}`);
  if (isStackOverflow(error)) {
    // Find the argument that is too deep by walking each on its own (each walk overflows or not).
    const deep = args.findIndex((arg) => {
      try {
        structuredClone(arg);
        return false;
      } catch (e) {
        return isStackOverflow(e);
      }
    });
    const position = positionOf(Math.max(deep, 0));
    return new DataCloneError(`${position} is nested too deeply to be copied to the worker`, { position, cause: error });
  }
  for (let i = 0; i < args.length; i++) {
    // Functions and proxies are sent by reference, never cloned: they are not the problem.
    const found = findUncloneable(args[i], sentByReference);
    if (found === undefined) continue;
    const position = positionOf(i);
    const where = found.path ? `${position}, at ${found.path},` : position;
    return new DataCloneError(`${where} could not be copied to the worker: it is ${describeType(found.value)} (${reason})`, {
      position,
      cause: error,
    });
  }
  const position = op.op === "set" ? "the value assigned" : op.op === "iter" ? "the value sent to the iterator" : op.op === "cancel" ? "the abort reason" : "the arguments";
  return new DataCloneError(`${position} could not be copied to the worker (${reason})`, { position, cause: error });
}
