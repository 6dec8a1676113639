/**
 * Errors encoded without a class registry: the uncaught error that ended a worker, or an error
 * about starting one. They travel in exit notices, which any thread may build (the loop, the
 * supervisor, the caller), and are decoded by the caller like any error, re-created as their
 * built-in base class with their name, message, stack, cause and own fields.
 */
import { encodeError, isError } from "./errors.js";
import { encodeValue, type EncodeHooks } from "./values.js";

const errorOnlyHooks: EncodeHooks = {
  needsMarker: (value: object) => isError(value),
  toMarker: (value, encode, remember) => encodeError(value as Error, { classIdOf: () => undefined }, encode, remember),
};

export function encodeBareError(error: unknown): unknown {
  return encodeValue(error, errorOnlyHooks).value;
}

/** "RangeError: boom" for an error, the value as text for anything else thrown; never throws. */
export function describeThrown(error: unknown): string {
  try {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  } catch {
    return "a value that cannot be described";
  }
}
