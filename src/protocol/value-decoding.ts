/**
 * The receiving half of values.ts: a value that came with markers is restored in place (it is the
 * receiver's private copy), each marker turned back into what it stands for by the side's hooks.
 */
import { MARK, isMarker, type Marker } from "./markers.js";
import { setOwn, shapeOf } from "./values.js";

export interface DecodeHooks {
  /** Turn a marker back into a value; `remember` must be called before decoding children, so cycles resolve. */
  fromMarker(marker: Marker, decode: (child: unknown) => unknown, remember: (value: unknown) => void): unknown;
}

/** Decode a received value in place (it is a private copy) and return the result. */
export function decodeValue(value: unknown, hooks: DecodeHooks): unknown {
  return restore(value, hooks, new Map());
}

function restore(value: unknown, hooks: DecodeHooks, memo: Map<object, unknown>): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (memo.has(value)) return memo.get(value);
  const recurse = (child: unknown) => restore(child, hooks, memo);
  if (isMarker(value)) {
    if (value[MARK] === "escape") {
      const inner = value.value;
      memo.set(value, inner);
      for (const key of Object.keys(inner)) setOwn(inner, key, recurse(inner[key]));
      return inner;
    }
    let remembered = false;
    const result = hooks.fromMarker(value, recurse, (early) => {
      remembered = true;
      memo.set(value, early);
    });
    if (!remembered) memo.set(value, result);
    return result;
  }
  memo.set(value, value);
  const shape = shapeOf(value);
  if (shape === "array" || shape === "object") {
    // Own keys only: holes stay holes, and non-index properties of arrays are restored too.
    const rec = value as Record<string, unknown>;
    for (const key of Object.keys(rec)) setOwn(rec, key, recurse(rec[key]));
  } else if (shape === "map") {
    const map = value as Map<unknown, unknown>;
    const entries = [...map];
    map.clear();
    for (const [k, v] of entries) map.set(recurse(k), recurse(v));
  } else if (shape === "set") {
    const set = value as Set<unknown>;
    const items = [...set];
    set.clear();
    for (const v of items) set.add(recurse(v));
  }
  return value;
}
