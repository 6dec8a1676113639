/**
 * Markers stand in, inside an encoded value, for things structured clone must not copy:
 * objects that live on the other side (handles), functions (callbacks), iterators, and errors
 * (which structured clone would strip of their class and fields).
 *
 * A marker is a plain object with one reserved key. A user's plain object that happens to use
 * that key is escaped as an `escape` marker so that it round-trips unchanged.
 */
import type { FunctionKind } from "./shapes.js";

export const MARK = "__synchronicity__" as const;

export interface ErrorMarker {
  readonly [MARK]: "error";
  /** The built-in constructor the error descends from: "Error", "TypeError", "DOMException", ... */
  readonly builtin: string;
  /** Class id of the error's own class when it is a user class the receiver knows or is told about. */
  readonly cls?: number;
  /** A class of this library (TimeoutError, ...), re-created as the receiver's copy of it. */
  readonly lib?: string;
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  readonly hasCause?: boolean;
  readonly cause?: unknown;
  /** AggregateError's errors. */
  readonly errors?: unknown[];
  /** Own enumerable properties other than message/name/stack/cause (code, errno, ...). */
  readonly props?: Record<string, unknown>;
}

/** An object living in the worker, sent to the caller. */
export interface HandleMarker {
  readonly [MARK]: "handle";
  readonly id: number;
  /** Class id of the object's class (describes its members), or FUNCTION_HANDLE for a function. */
  readonly cls: number;
  /** The instance's own enumerable fields, readable and writable through the proxy. */
  readonly fields?: readonly string[];
  /** For a function: how it behaves (a generator function returns iterators). */
  readonly fn?: FunctionKind;
}

/** The `cls` of a handle to a function: the caller makes it a callable proxy. */
export const FUNCTION_HANDLE = -1;

/** An object the receiver sent earlier (a proxy passed back): the receiver's original object. */
export interface BackRefMarker {
  readonly [MARK]: "backref";
  readonly id: number;
}

/** A function living in the caller, sent to the worker as a callable proxy. */
export interface CallbackMarker {
  readonly [MARK]: "callback";
  readonly id: number;
  /** The function steps an iterator of the caller: the worker receives it as an async iterator. */
  readonly iterator?: true;
}

/** An iterator or async iterable living in the worker. */
export interface IteratorMarker {
  readonly [MARK]: "iterator";
  readonly id: number;
  /** True when the worker object is async (an async generator or async iterable). */
  readonly async: boolean;
}

/** A class of the other side (`api.getClass() === api.MyClass`), by the owner's class id. */
export interface ClassMarker {
  readonly [MARK]: "class";
  readonly id: number;
}

/** A user's plain object that itself uses the reserved key. */
export interface EscapeMarker {
  readonly [MARK]: "escape";
  readonly value: Record<string, unknown>;
}

export type Marker = ErrorMarker | HandleMarker | BackRefMarker | CallbackMarker | IteratorMarker | ClassMarker | EscapeMarker;

/** Markers are plain objects; an array that happens to have the reserved key as a property is not one. */
export function isMarker(value: unknown): value is Marker {
  return typeof value === "object" && value !== null && !Array.isArray(value) && Object.prototype.hasOwnProperty.call(value, MARK);
}
