/**
 * Encoding of values that cross the thread boundary.
 *
 * Structured clone does the copying. This module only replaces, inside a value, the objects that
 * structured clone must not copy (see markers.ts), and puts them back on the other side. Each side
 * plugs in its own hooks: the worker turns class instances into handles, the caller turns its
 * proxies back into handle references, both sides encode errors faithfully.
 *
 * Cost matters here: a first, pure scan decides whether anything needs replacing. Most values
 * (numbers, strings, plain data) need nothing, and then the value is posted as it is and the
 * receiver does not walk it at all (the message says so). Only when a marker is needed is a
 * translated copy built; the receiver then restores it in place (value-decoding.ts), since what
 * it received is already its own private copy.
 */
import { types } from "node:util";
import { MARK, type Marker } from "./markers.js";

const { isProxy } = types;

export interface EncodeHooks {
  /** Pure test: does this object (not an array, Map, Set or natively cloneable type) need a marker? */
  needsMarker(value: object): boolean;
  /**
   * Build the marker; `encode` encodes nested values (error causes, ...) with the same memo.
   * `owner` is the plain object that holds `value` as a property, if any: a function found there is
   * a method, and is called with that object as `this`.
   */
  toMarker(value: object, encode: (child: unknown) => unknown, remember: (marker: object) => void, owner?: object): Marker;
}

type Shape = "primitive" | "array" | "object" | "map" | "set" | "native" | "other";

const { getPrototypeOf } = Object;
const nativeCloneablePrototypes = new Set<object | null>(
  [
    Date.prototype,
    RegExp.prototype,
    ArrayBuffer.prototype,
    typeof SharedArrayBuffer === "function" ? SharedArrayBuffer.prototype : null,
    Boolean.prototype,
    Number.prototype,
    String.prototype,
    BigInt.prototype,
    typeof Blob === "function" ? Blob.prototype : null,
  ].filter((p) => p !== null),
);

/** Classifies a value by how the codec treats it. Exported for the worker's handle logic. */
export function shapeOf(value: unknown): Shape {
  if (typeof value !== "object" || value === null) {
    return typeof value === "function" ? "other" : "primitive";
  }
  let proto: object | null;
  try {
    if (Array.isArray(value)) return getPrototypeOf(value) === Array.prototype ? "array" : "other";
    proto = getPrototypeOf(value) as object | null;
  } catch {
    // A Proxy whose trap throws, or a revoked one: nothing to walk; structured clone refuses it.
    return "other";
  }
  if (proto === Object.prototype || proto === null) return "object";
  if (proto === Map.prototype) return "map";
  if (proto === Set.prototype) return "set";
  if (ArrayBuffer.isView(value) || nativeCloneablePrototypes.has(proto)) return "native";
  return "other";
}

const hasOwn = (obj: object, key: PropertyKey) => Object.prototype.hasOwnProperty.call(obj, key);

/** Arrays up to this length have their non-index properties scanned for values that need markers. */
export const ARRAY_KEYS_SCAN_LIMIT = 10_000;

const isIndex = (key: string) => {
  const n = Number(key);
  return Number.isInteger(n) && n >= 0 && n < 4294967295 && String(n) === key; // 2 ** 32 - 1 is not an index
};

/** Sets an own data property; plain assignment would turn a "__proto__" key into a prototype change. */
export function setOwn(target: object, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  else (target as Record<string, unknown>)[key] = value;
}

/** True when `value` contains something that needs a marker. Pure: registers nothing. */
function needsEncoding(value: unknown, hooks: EncodeHooks, seen: Scanned, depth = 0): boolean {
  const shape = shapeOf(value);
  if (shape === "primitive" || shape === "native") return false;
  const obj = value as object;
  if (shape === "other" && hooks.needsMarker(obj)) return true;
  if (seen.has(obj)) return false;
  seen.add(obj);
  if (depth > seen.deepest) seen.deepest = depth;
  const inner = depth + 1;
  switch (shape) {
    case "array": {
      const array = obj as unknown[];
      const length = array.length;
      let holes = 0;
      for (let i = 0; i < length; i++) {
        const item = array[i];
        if (item === undefined && !(i in array)) {
          // Mostly holes: a sparse array (length 2 ** 32 - 1 holding two elements is one). Walking
          // it index by index would cost its length; its keys cost what it holds.
          if (++holes > SPARSE_HOLES && holes > i - holes) return keysNeedEncoding(array, hooks, seen, inner);
          continue;
        }
        if (needsEncoding(item, hooks, seen, inner)) return true;
      }
      // Non-index properties (a RegExp match's `index`, or anything a user adds) can hold values
      // that need markers too. Listing them costs a string per index (Object.keys on a million
      // elements takes four times as long as cloning them), so long arrays are not listed: their
      // non-index properties are copied by structured clone as they are.
      if (array.length > ARRAY_KEYS_SCAN_LIMIT) return false;
      for (const key of Object.keys(array)) {
        if (key === MARK) return true;
        if (!isIndex(key) && needsEncoding((array as unknown as Record<string, unknown>)[key], hooks, seen, inner)) return true;
      }
      return false;
    }
    case "object":
      return hooks.needsMarker(obj) || ownPropertiesNeedEncoding(obj, hooks, seen, inner);
    case "other":
      // Structured clone copies any other object (a class instance, an object marked with copy())
      // as its own enumerable properties: what they hold arrives as data too, so it is scanned,
      // and the reserved key must be escaped there as well, or data could pose as a reference.
      return typeof obj !== "function" && ownPropertiesNeedEncoding(obj, hooks, seen, inner);
    case "map":
      for (const [k, v] of obj as Map<unknown, unknown>) {
        if (needsEncoding(k, hooks, seen, inner) || needsEncoding(v, hooks, seen, inner)) return true;
      }
      return false;
    case "set":
      for (const v of obj as Set<unknown>) if (needsEncoding(v, hooks, seen, inner)) return true;
      return false;
  }
}

/** Holes a scan tolerates before it treats an array as sparse and lists its keys instead. */
const SPARSE_HOLES = 1024;

function keysNeedEncoding(array: unknown[], hooks: EncodeHooks, seen: Scanned, depth: number): boolean {
  for (const key of Object.keys(array)) {
    if (key === MARK || needsEncoding((array as unknown as Record<string, unknown>)[key], hooks, seen, depth)) return true;
  }
  return false;
}

function ownPropertiesNeedEncoding(obj: object, hooks: EncodeHooks, seen: Scanned, depth: number): boolean {
  if (hasOwn(obj, MARK)) return true;
  for (const key of Object.keys(obj)) {
    if (needsEncoding((obj as Record<string, unknown>)[key], hooks, seen, depth)) return true;
  }
  return false;
}

function translate(value: unknown, hooks: EncodeHooks, memo: Translated, depth = 0, owner?: object): unknown {
  const shape = shapeOf(value);
  if (shape === "primitive" || shape === "native") return value;
  const obj = value as object;
  const done = memo.get(obj);
  if (done !== undefined) return done;
  if (depth > memo.deepest) memo.deepest = depth;
  const recurse = (child: unknown) => translate(child, hooks, memo, depth + 1);
  switch (shape) {
    case "other": {
      if (hooks.needsMarker(obj)) return hooks.toMarker(obj, recurse, (marker) => memo.set(obj, marker), owner);
      // Left to structured clone (which may refuse it) unless something in it needs encoding:
      // then it is copied here as structured clone would, an array as an array, else as its own
      // enumerable properties.
      if (typeof obj === "function" || !needsEncoding(obj, hooks, new Scanned())) return obj;
      return Array.isArray(obj) ? translateArray(obj as unknown[], recurse, memo) : translateObject(obj, (child) => translate(child, hooks, memo, depth + 1, obj), memo);
    }
    case "array":
      return translateArray(obj as unknown[], recurse, memo);
    case "object": {
      if (hooks.needsMarker(obj)) return hooks.toMarker(obj, recurse, (marker) => memo.set(obj, marker));
      // A function held by a plain object is sent with the object as its `this` (see toMarker's owner).
      return translateObject(obj, (child) => translate(child, hooks, memo, depth + 1, obj), memo);
    }
    case "map": {
      const out = new Map<unknown, unknown>();
      memo.set(obj, out);
      for (const [k, v] of obj as Map<unknown, unknown>) out.set(recurse(k), recurse(v));
      return out;
    }
    case "set": {
      const out = new Set<unknown>();
      memo.set(obj, out);
      for (const v of obj as Set<unknown>) out.add(recurse(v));
      return out;
    }
  }
}

function translateArray(source: unknown[], recurse: (child: unknown) => unknown, memo: Translated): unknown[] {
  // Same length, same holes, and the array's own non-index properties, as structured clone keeps them.
  const out: unknown[] = new Array(source.length);
  memo.set(source, out);
  for (const key of Object.keys(source)) setOwn(out, key, recurse((source as unknown as Record<string, unknown>)[key]));
  return out;
}

/** A plain copy of an object's own enumerable properties; one that uses the reserved key is escaped. */
function translateObject(obj: object, recurse: (child: unknown) => unknown, memo: Translated): unknown {
  const out: Record<string, unknown> = {};
  const source = obj as Record<string, unknown>;
  const result = hasOwn(obj, MARK) ? { [MARK]: "escape", value: out } : out;
  memo.set(obj, result);
  for (const key of Object.keys(source)) setOwn(out, key, recurse(source[key]));
  return result;
}

export interface Encoded {
  readonly value: unknown;
  /** True when the value contains markers; the receiver must decode it. */
  readonly encoded: boolean;
  /** True when the value is nested more than PACK_DEPTH levels deep: it must travel packed. */
  readonly deep: boolean;
}

/** Encode one value for posting. */
export function encodeValue(value: unknown, hooks: EncodeHooks, argumentList = false): Encoded {
  // The common cases of the hot path first, without allocating a scan: a primitive (most replies),
  // and a short plain array of primitives (most argument lists).
  if ((typeof value !== "object" && typeof value !== "function") || value === null || isFlatPrimitiveArray(value, argumentList)) return { value, encoded: false, deep: false };
  const seen = new Scanned();
  if (!needsEncoding(value, hooks, seen)) return { value, encoded: false, deep: seen.deepest > PACK_DEPTH };
  const memo = new Translated();
  return { value: translate(value, hooks, memo), encoded: true, deep: memo.deepest > PACK_DEPTH };
}

/**
 * A dense array of Array.prototype, up to 16 primitives, and no own properties but its indexes.
 * Such an array needs no marker, so it is sent as it is.
 */
function isFlatPrimitiveArray(value: unknown, argumentList: boolean): boolean {
  // A Proxy's traps would run user code (and may throw): the full path deals with those.
  if (!Array.isArray(value) || isProxy(value) || value.length > 16 || getPrototypeOf(value) !== Array.prototype) return false;
  const length = value.length;
  for (let i = 0; i < length; i++) {
    const item: unknown = value[i];
    if ((typeof item === "object" && item !== null) || typeof item === "function") return false;
    if (item === undefined && !(i in value)) return false;
  }
  // Non-index properties (a user's own, or a RegExp match's) may hold anything: rare, and
  // only then worth the full scan. An argument list (the rest parameter of a proxy) has none.
  return argumentList || Object.keys(value).length === length;
}

/**
 * Values nested deeper than this travel packed (see packing.ts): the receiving thread may have too
 * little stack left to deserialize them, and a message it cannot deserialize cannot be told apart
 * from any other. Data this deep is rare (long left-leaning expression trees, linked lists).
 */
export const PACK_DEPTH = 100;

/** The objects a scan has visited, and how deep it went. */
class Scanned extends Set<object> {
  deepest = 0;
}

/** The translations made so far, and how deep the value went. */
class Translated extends Map<object, unknown> {
  deepest = 0;
}
