/**
 * Faithful transport of errors.
 *
 * Structured clone alone keeps only a built-in error's message, stack and cause: it drops custom
 * classes, `name`, own fields such as `code`, and AggregateError's `errors`. Here an error becomes
 * an ErrorMarker that records all of them, and the receiver builds an object of the right class
 * without running any constructor (custom constructors may need arguments we do not have).
 */
import { MARK, type ErrorMarker } from "./markers.js";
import { libraryErrorName, libraryErrors } from "../errors.js";
import { setOwn } from "./values.js";

/** The built-in error classes, by name: what an error marker's `builtin` names. */
export const builtinErrors: Readonly<Record<string, new (message?: string) => Error>> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
  AggregateError: AggregateError as unknown as new (message?: string) => Error,
};

const builtinByPrototype = new Map<object, string>(Object.entries(builtinErrors).map(([name, ctor]) => [ctor.prototype, name]));

/** Fields an error carries outside its own enumerable properties. */
const structuralKeys = new Set(["name", "message", "stack", "cause", "errors"]);

export function isError(value: object): value is Error {
  return value instanceof Error || Object.prototype.toString.call(value) === "[object Error]";
}

/** The nearest built-in error class in the prototype chain of `error`. */
export function builtinNameOf(error: object): string {
  if (typeof DOMException === "function" && error instanceof DOMException) return "DOMException";
  for (let proto = Object.getPrototypeOf(error); proto !== null; proto = Object.getPrototypeOf(proto)) {
    const name = builtinByPrototype.get(proto);
    if (name !== undefined) return name;
  }
  return "Error";
}

export interface ErrorClassLookup {
  /** Class id for the error's user class, if it has one the receiver can re-create. */
  classIdOf(error: Error): number | undefined;
}

export function encodeError(error: Error, lookup: ErrorClassLookup, encode: (v: unknown) => unknown, remember: (m: object) => void): ErrorMarker {
  const marker: { -readonly [K in keyof ErrorMarker]: ErrorMarker[K] } = {
    [MARK]: "error",
    builtin: builtinNameOf(error),
    name: safeString(() => error.name, "Error"),
    message: safeString(() => error.message, ""),
  };
  remember(marker); // an error that is its own cause must not recurse forever
  const stack = safeString(() => error.stack, "");
  if (stack) marker.stack = stack;
  const lib = libraryErrorName(error);
  if (lib !== undefined) marker.lib = lib;
  else {
    const cls = lookup.classIdOf(error);
    if (cls !== undefined) marker.cls = cls;
  }
  if (Object.prototype.hasOwnProperty.call(error, "cause")) {
    marker.hasCause = true;
    marker.cause = encode((error as { cause?: unknown }).cause);
  }
  if (marker.builtin === "AggregateError" && Array.isArray((error as AggregateError).errors)) {
    marker.errors = (error as AggregateError).errors.map(encode) as unknown[];
  }
  const props: Record<string, unknown> = {};
  let hasProps = false;
  for (const key of Object.keys(error)) {
    if (structuralKeys.has(key)) continue;
    try {
      setOwn(props, key, encode((error as unknown as Record<string, unknown>)[key]));
      hasProps = true;
    } catch {
      // A getter that throws while we describe an error must not hide the error itself.
    }
  }
  if (hasProps) marker.props = props;
  return marker;
}

function safeString(read: () => unknown, fallback: string): string {
  try {
    const value = read();
    return typeof value === "string" ? value : value === undefined ? fallback : String(value);
  } catch {
    return fallback;
  }
}

export interface ErrorClassResolver {
  /** The local class to re-create an error of user class `cls` as, if known. */
  classById(cls: number): (abstract new (...args: never[]) => Error) | undefined;
}

export function decodeError(marker: ErrorMarker, resolver: ErrorClassResolver, decode: (v: unknown) => unknown, remember: (v: unknown) => void): Error {
  let error: Error;
  if (marker.builtin === "DOMException" && typeof DOMException === "function") {
    error = new DOMException(marker.message, marker.name);
  } else {
    const builtin = builtinErrors[marker.builtin] ?? Error;
    const ctor =
      (marker.cls !== undefined ? resolver.classById(marker.cls) : undefined) ??
      (marker.lib !== undefined ? libraryErrors[marker.lib] : undefined) ??
      builtin;
    error = nativeError(builtin, ctor, marker.message);
  }
  remember(error);
  if (error.name !== marker.name) define(error, "name", marker.name);
  define(error, "stack", marker.stack ?? `${marker.name}: ${marker.message}`);
  if (marker.hasCause) define(error, "cause", decode(marker.cause));
  if (marker.errors) define(error, "errors", marker.errors.map(decode));
  if (marker.props) {
    for (const [key, value] of Object.entries(marker.props)) {
      Object.defineProperty(error, key, { value: decode(value), writable: true, enumerable: true, configurable: true });
    }
  }
  return error;
}

/**
 * A real error object (what `util.types.isNativeError`, structured clone and loggers recognise),
 * made by the built-in constructor but with `ctor`'s prototype, so that no user constructor runs
 * (it may need arguments we do not have).
 */
function nativeError(builtin: new (message?: string) => Error, ctor: abstract new (...args: never[]) => Error, message: string | undefined): Error {
  const args: unknown[] = builtin === (AggregateError as unknown) ? [[], message] : [message];
  // The stack the built-in constructor records is this library's; callers replace it.
  return Reflect.construct(builtin, args, ctor) as Error;
}

function define(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: false, configurable: true });
}

/**
 * A copy of `error` whose own fields that structured clone refuses are replaced by a description,
 * so that the error itself still reaches the other side.
 */
export function withCopyableFields(error: Error): Error {
  const proto = Object.getPrototypeOf(error) as { constructor?: unknown } | null;
  const ctor = typeof proto?.constructor === "function" && proto.constructor.prototype === proto ? (proto.constructor as new () => Error) : Error;
  const builtin = builtinNameOf(error);
  // A DOMException keeps its name and message in internal slots, read through the prototype: the
  // copy must be a real one (an Error given its prototype throws on the first field defined).
  const copy =
    builtin === "DOMException"
      ? new DOMException(safeString(() => error.message, ""), safeString(() => error.name, "Error"))
      : nativeError(builtinErrors[builtin] ?? Error, ctor, undefined);
  Object.setPrototypeOf(copy, proto);
  for (const key of ["message", "name", "stack", "cause", "errors"]) {
    if (Object.prototype.hasOwnProperty.call(error, key)) define(copy, key, copyable((error as unknown as Record<string, unknown>)[key]));
  }
  for (const key of Object.keys(error)) {
    Object.defineProperty(copy, key, { value: copyable((error as unknown as Record<string, unknown>)[key]), writable: true, enumerable: true, configurable: true });
  }
  return copy;
}

function copyable(value: unknown): unknown {
  if (typeof value === "object" && value !== null && isError(value)) return withCopyableFields(value);
  try {
    structuredClone(value);
    return value;
  } catch {
    return `[not copyable: ${typeof value === "symbol" ? "a Symbol" : typeof value === "function" ? "a function" : (Object.prototype.toString.call(value).slice(8, -1) || "value")}]`;
  }
}
