/**
 * Describing values and failures for error messages: a value's type, where inside a value structured
 * clone fails, what was thrown. These run on error paths only, so they may take their time, but
 * must never fail themselves (user values may be revoked Proxies or have throwing getters).
 */
import { types } from "node:util";
import { shapeOf } from "./values.js";

const { isProxy } = types;
const { getPrototypeOf } = Object;

/** Runs `read`, or gives `fallback` when it throws: for inspecting user values in error paths, which must not fail themselves. */
export function safely<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch {
    return fallback;
  }
}

/** Describes a value's type for error messages: "a function", "a Symbol", "an instance of Socket". */
export function describeType(value: unknown): string {
  return safely(() => describeTypeUnguarded(value), "a value that cannot be inspected");
}

function describeTypeUnguarded(value: unknown): string {
  if (value === null) return "null";
  if ((typeof value === "object" || typeof value === "function") && isProxy(value)) return "a Proxy";
  switch (typeof value) {
    case "function":
      return value.name ? `a function (${value.name})` : "a function";
    case "symbol":
      return `a Symbol (${String(value.description ?? "")})`;
    case "object": {
      const proto = getPrototypeOf(value);
      const name = proto?.constructor?.name;
      if (name && name !== "Object") return `${/^[AEIOU]/.test(name) ? "an" : "a"} ${name}`;
      return "an object";
    }
    default:
      return `a ${typeof value}`;
  }
}

/**
 * Finds where inside `value` structured clone fails, for a precise error message.
 * Only runs after a failure, so its cost (cloning sub-values again) does not matter.
 */
export function findUncloneable(value: unknown, skip?: (value: object) => boolean): { path: string; value: unknown; error: unknown } | undefined {
  const seen = new Set<object>();
  const visit = (v: unknown, path: string): { path: string; value: unknown; error: unknown } | undefined => {
    // Objects the codec sends by reference are fine (and cloning a proxy would call into the worker).
    if ((typeof v === "object" || typeof v === "function") && v !== null && safely(() => skip?.(v) === true, false)) return undefined;
    try {
      structuredClone(v);
      return undefined;
    } catch (error) {
      if (typeof v === "object" && v !== null) {
        // Met again through a cycle: the visit further up walks it, and names what fails inside.
        if (seen.has(v)) return undefined;
        seen.add(v);
        const shape = shapeOf(v);
        try {
          if (shape === "array" || shape === "object") {
            for (const key of Object.keys(v)) {
              const found = visit((v as Record<string, unknown>)[key], shape === "array" ? `${path}[${key}]` : `${path}.${key}`);
              if (found) return found;
            }
          } else if (shape === "map") {
            for (const [k, item] of v as Map<unknown, unknown>) {
              const found = visit(k, `${path} (a Map key)`) ?? visit(item, `${path}.get(${typeof k === "string" ? JSON.stringify(k) : "…"})`);
              if (found) return found;
            }
          } else if (shape === "set") {
            for (const item of v as Set<unknown>) {
              const found = visit(item, `${path} (a Set item)`);
              if (found) return found;
            }
          }
        } catch (inner) {
          return { path, value: v, error: inner };
        }
      }
      return { path, value: v, error };
    }
  };
  return visit(value, "");
}

/** Whether `error` is the engine running out of stack (a value nested too deeply to walk or clone). */
export function isStackOverflow(error: unknown): boolean {
  return safely(() => error instanceof RangeError && /call stack/i.test(error.message), false);
}

/** The message of something thrown, whatever it is (a revoked Proxy has none to read). */
export function messageOf(error: unknown): string {
  return safely(() => (error instanceof Error ? error.message : String(error)), "(a value that cannot be inspected)");
}
