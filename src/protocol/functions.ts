/**
 * What kind of function a value is, read from the value itself: both sides need it (the worker to
 * describe exports, the caller to call implementations directly inside the worker).
 */
import type { FunctionKind } from "./shapes.js";

type AnyClass = abstract new (...args: never[]) => unknown;

export function functionKind(fn: unknown): FunctionKind {
  switch ((fn as { constructor?: { name?: string } })?.constructor?.name) {
    case "AsyncFunction":
      return "async";
    case "AsyncGeneratorFunction":
      return "async-generator";
    case "GeneratorFunction":
      return "generator";
    default:
      return "sync";
  }
}

export function isNative(fn: unknown): boolean {
  return typeof fn === "function" && /\{\s*\[native code\]\s*\}\s*$/.test(Function.prototype.toString.call(fn));
}

/** A class written with `class`, or an old-style constructor function with methods on its prototype. */
export function isClass(fn: unknown): fn is AnyClass {
  if (typeof fn !== "function") return false;
  if (/^class[\s{]/.test(Function.prototype.toString.call(fn))) return true;
  const proto = (fn as { prototype?: object }).prototype;
  return proto !== undefined && /^[A-Z]/.test(fn.name) && Reflect.ownKeys(proto).some((key) => key !== "constructor");
}


/** Whether `value` is a promise or any other thenable. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === "object" || typeof value === "function") && value !== null && typeof (value as { then?: unknown }).then === "function";
}
