/**
 * The references a message carries, read without decoding it: for a message that will never be
 * decoded (a late reply to a call the caller gave up on, a callback that no longer exists), so
 * that the ids it carries are released instead of leaking in the sender's table.
 */
import { isMarker, MARK } from "./markers.js";

/** Marker kinds that the receiver would have adopted (and must now release), by id, with counts. */
export function carriedIds(value: unknown, kinds: ReadonlySet<string>): Array<[id: number, count: number]> {
  const counts = new Map<number, number>();
  const seen = new Set<object>();
  // An explicit stack: the value may be nested deeper than the call stack allows.
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item !== "object" || item === null || seen.has(item)) continue;
    seen.add(item);
    if (isMarker(item)) {
      const kind = item[MARK];
      if (kinds.has(kind) && "id" in item) counts.set(item.id, (counts.get(item.id) ?? 0) + 1);
      // Errors and escaped objects hold encoded values of their own.
      if (kind === "error") stack.push(item.cause, item.errors, item.props);
      else if (kind === "escape") stack.push(...Object.values(item.value));
      continue;
    }
    if (item instanceof Map) {
      for (const [k, v] of item) stack.push(k, v);
    } else if (item instanceof Set) {
      for (const v of item) stack.push(v);
    } else if (Array.isArray(item) || Object.getPrototypeOf(item) === Object.prototype || Object.getPrototypeOf(item) === null) {
      for (const key of Object.keys(item)) stack.push((item as Record<string, unknown>)[key]);
    }
  }
  return [...counts];
}

/** What the worker sends that the caller would hold: objects and iterators. */
export const WORKER_REFERENCES: ReadonlySet<string> = new Set(["handle", "iterator"]);
/** What the caller sends that the worker would hold: the caller's functions. */
export const CALLER_REFERENCES: ReadonlySet<string> = new Set(["callback"]);
