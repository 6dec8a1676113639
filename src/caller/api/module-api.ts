/**
 * The object `wrapModule` returns: one property per export of the implementation module.
 *
 * It is a Proxy so that it can be returned before the module is loaded (wrapModule does not start
 * the worker). The first access to an export imports the module in the worker and learns its
 * shape, blocking once; every later access is a plain lookup of a wrapper built once, so that
 * `api.f === api.f`.
 *
 * The Proxy itself is made by the caller's front (lazy-module-api.ts), before this part of the
 * library is loaded; its first real use fills its handler with the traps made here.
 *
 * It behaves like a module namespace object: only the exports are there (nothing inherited from
 * Object.prototype), a name that is not exported reads as `undefined` (so `if (api.newThing)`
 * works), and printing it lists the exports.
 */
import { inspect, type InspectOptions } from "node:util";
import type { ExportShape, ModuleShape } from "../../protocol/shapes.js";
import { DataCloneError } from "../../errors.js";
import type { Core, ModuleEntry } from "./core.js";
import { isProbedKey, readOnlyExports, type ModuleApiTraps } from "./lazy-module-api.js";
import { makeCallable } from "../remote/callable.js";
import { captureSite } from "../support/site.js";
import { withCallerFrames } from "../support/stack.js";

const hasOwn = (obj: object, key: string) => Object.prototype.hasOwnProperty.call(obj, key);

/**
 * Make the module API of `entry` work: fill `handler` (the Proxy's, whose target is `target`) with
 * its traps, and give `target` the listing util.inspect prints.
 */
export function activateModuleApi(core: Core, entry: ModuleEntry, target: object, handler: ModuleApiTraps): void {
  const members = new Map<string, unknown>();

  const shape = (): ModuleShape => {
    try {
      return core.shapeSync(entry);
    } catch (error) {
      throw withCallerFrames(error, captureSite());
    }
  };

  /** The export's shape, or undefined when the module does not export `name` (own keys only). */
  const exportOf = (name: string): ExportShape | undefined => {
    const exports = shape().exports;
    return hasOwn(exports, name) ? exports[name] : undefined;
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
      case "uncopyable":
        // Every read fails, with a fresh error pointing at the read.
        throw new DataCloneError(exported.message, { position: `export "${name}"` });
    }
    members.set(name, value);
    return value;
  };

  // util.inspect reads the target of a Proxy directly, not through the traps: this is how
  // console.log(api) lists the exports instead of printing `[Object: null prototype] {}`.
  Object.defineProperty(target, inspect.custom, {
    value: (depth: number, options: InspectOptions) => describeModule(entry, shape, member, depth, options),
    configurable: true,
  });
  Object.assign(handler, {
    ...readOnlyExports(entry.specifier),
    get(_: object, key: string | symbol) {
      if (typeof key === "symbol") {
        return key === Symbol.toStringTag ? "Module" : undefined;
      }
      if (isProbedKey(key) && entry.shape === undefined) return undefined;
      const exported = exportOf(key);
      // Like a module namespace object: a name the module does not export reads as undefined.
      return exported === undefined ? undefined : member(key, exported);
    },
    has(_: object, key: string | symbol) {
      return typeof key === "string" && exportOf(key) !== undefined;
    },
    ownKeys() {
      return Object.keys(shape().exports);
    },
    getOwnPropertyDescriptor(_: object, key: string | symbol) {
      if (typeof key !== "string") return undefined;
      const exported = exportOf(key);
      if (exported === undefined) return undefined;
      // An export that cannot be copied is listed, and throws only when read.
      if (exported.kind === "uncopyable") return { get: () => member(key, exported), enumerable: true, configurable: true };
      return { value: member(key, exported), writable: false, enumerable: true, configurable: true };
    },
  });
}

/** `[Module: url] { name: value, ... }`, loading the module if needed; never throws. */
function describeModule(
  entry: ModuleEntry,
  shape: () => ModuleShape,
  member: (name: string, exported: ExportShape) => unknown,
  depth: number,
  options: InspectOptions,
): string {
  let loaded: ModuleShape;
  try {
    loaded = shape();
  } catch (error) {
    return `[Module: ${entry.specifier}] <could not be loaded: ${error instanceof Error ? error.message : String(error)}>`;
  }
  const listing = Object.create(null) as Record<string, unknown>;
  for (const [name, exported] of Object.entries(loaded.exports)) {
    try {
      listing[name] = member(name, exported);
    } catch {
      listing[name] = { [inspect.custom]: () => "<cannot be copied>" };
    }
  }
  const body = inspect(listing, { ...options, depth: options.depth === null || options.depth === undefined ? null : Math.max(0, depth) });
  return `[Module: ${loaded.url}] ${body.replace(/^\[Object: null prototype\] /, "")}`;
}
