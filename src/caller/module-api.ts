/**
 * The object `wrapModule` returns: one property per export of the implementation module.
 *
 * It is a Proxy so that it can be returned before the module is loaded (wrapModule does not start
 * the worker). The first access to an export imports the module in the worker and learns its
 * shape, blocking once; every later access is a plain lookup of a wrapper built once, so that
 * `api.f === api.f`.
 */
import type { ExportShape } from "../protocol/shapes.js";
import { ReferenceLostError } from "../errors.js";
import type { Core, ModuleEntry } from "./core.js";
import { makeCallable } from "./callable.js";
import { captureSite } from "./site.js";
import { withCallerFrames } from "./stack.js";

/** Keys that tools probe on any object (await, JSON, test matchers); they never load the module. */
const probedKeys = new Set(["then", "toJSON", "asymmetricMatch", "$$typeof", "nodeType", "constructor"]);

export function createModuleApi(core: Core, entry: ModuleEntry): object {
  const members = new Map<string, unknown>();

  const shape = () => {
    try {
      return core.shapeSync(entry);
    } catch (error) {
      throw withCallerFrames(error, captureSite());
    }
  };

  const member = (name: string, exported: ExportShape): unknown => {
    if (members.has(name)) return members.get(name);
    let value: unknown;
    switch (exported.kind) {
      case "function":
        value = makeCallable(core, { module: entry.id, name }, name, exported.fn);
        break;
      case "class":
        value = core.exportedClass(entry, name);
        break;
      case "value":
        value = exported.value;
        break;
    }
    members.set(name, value);
    return value;
  };

  const target = Object.create(null) as Record<string | symbol, unknown>;
  return new Proxy(target, {
    get(_, key) {
      if (typeof key === "symbol") {
        return key === Symbol.toStringTag ? "Module" : undefined;
      }
      if (probedKeys.has(key) && entry.shape === undefined) return undefined;
      const exported = shape().exports[key];
      if (exported === undefined) {
        if (probedKeys.has(key)) return undefined;
        const names = Object.keys(shape().exports);
        throw new ReferenceLostError(`${entry.specifier} has no export named "${key}" (it exports: ${names.join(", ") || "nothing"})`);
      }
      return member(key, exported);
    },
    has(_, key) {
      return typeof key === "string" && key in shape().exports;
    },
    ownKeys() {
      return Object.keys(shape().exports);
    },
    getOwnPropertyDescriptor(_, key) {
      if (typeof key !== "string") return undefined;
      const exported = shape().exports[key];
      if (exported === undefined) return undefined;
      return { value: member(key, exported), writable: false, enumerable: true, configurable: true };
    },
    set(_, key) {
      throw new TypeError(`cannot assign to "${String(key)}": the exports of ${entry.specifier} are read-only`);
    },
    defineProperty(_, key) {
      throw new TypeError(`cannot define "${String(key)}": the exports of ${entry.specifier} are read-only`);
    },
    deleteProperty(_, key) {
      throw new TypeError(`cannot delete "${String(key)}": the exports of ${entry.specifier} are read-only`);
    },
  });
}
