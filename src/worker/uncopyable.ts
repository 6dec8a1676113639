/**
 * Finds the part of a value that cannot cross to the other thread, without encoding it: no handle
 * is registered, no class described, no iterator touched. Used when a module's exports fail to
 * copy as a whole, to mark the constants that cannot be copied and send every other export.
 */
import { shapeOf } from "../protocol/values.js";

export interface Uncopyable {
  /** Where inside the value: "", ".a[2]", ".get(\"k\")". */
  readonly path: string;
  readonly value: unknown;
  readonly reason: string;
}

/**
 * The first part of `value` that structured clone refuses, skipping what the worker sends by
 * reference (`byReference`: functions, objects of user classes, iterators, errors).
 */
export function findUncopyable(value: unknown, byReference: (value: object) => boolean): Uncopyable | undefined {
  const seen = new Set<object>();
  const visit = (v: unknown, path: string): Uncopyable | undefined => {
    if (typeof v === "symbol") return { path, value: v, reason: "a Symbol cannot be copied" };
    if (typeof v === "function") return undefined; // always sent by reference
    if (typeof v !== "object" || v === null || seen.has(v)) return undefined;
    seen.add(v);
    if (byReference(v)) return undefined;
    const shape = shapeOf(v);
    if (shape === "array" || shape === "object") {
      const isArray = shape === "array";
      for (const key of Object.keys(v)) {
        const found = visit((v as Record<string, unknown>)[key], isArray ? `${path}[${key}]` : `${path}.${key}`);
        if (found) return found;
      }
      return undefined;
    }
    if (shape === "map") {
      for (const [k, item] of v as Map<unknown, unknown>) {
        const found = visit(k, `${path} (a Map key)`) ?? visit(item, `${path}.get(${typeof k === "string" ? JSON.stringify(k) : "…"})`);
        if (found) return found;
      }
      return undefined;
    }
    if (shape === "set") {
      for (const item of v as Set<unknown>) {
        const found = visit(item, `${path} (a Set item)`);
        if (found) return found;
      }
      return undefined;
    }
    if (shape === "native") return undefined;
    try {
      structuredClone(v);
      return undefined;
    } catch (error) {
      return { path, value: v, reason: error instanceof Error ? error.message : String(error) };
    }
  };
  try {
    return visit(value, "");
  } catch (error) {
    // Nested too deeply to walk, or a getter that throws: the whole value is the problem.
    return { path: "", value, reason: error instanceof Error ? error.message : String(error) };
  }
}
