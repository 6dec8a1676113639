// An implementation that imports the caller's library ("synchronicity-js") inside the worker, where
// the worker's own library runs the loop: both must use one set of error classes.
import { ClosedError, TimeoutError } from "synchronicity-js";

/** A library error made here, by the import of "synchronicity-js", thrown back to the caller. */
export async function throwTimeout() {
  throw new TimeoutError("made by the implementation");
}

/** The caller's callback throws a library error; the worker's library re-creates it here. */
export async function classifyCallbackError(callback) {
  try {
    await callback();
    return "no error";
  } catch (error) {
    return error instanceof ClosedError ? "ClosedError" : `another class: ${error?.constructor?.name}`;
  }
}
