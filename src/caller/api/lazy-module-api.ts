/**
 * The object wrapModule returns (module-api.ts says how it behaves), made by the caller's front:
 * before the rest of the library has loaded (see scripts/build.mjs).
 *
 * Its handler starts with the traps that need no worker: a symbol key, a key that tools probe on
 * any object, and writes, which always fail. The first trap that needs the module's exports calls
 * `activate`, which loads the rest of the library and fills the handler with module-api.ts's
 * traps; from then on the Proxy runs those directly.
 */
import { inspect, type InspectOptions } from "node:util";

/** Keys that tools probe on any object (await, JSON, test matchers); they never load the module. */
const probedKeys = new Set(["then", "toJSON", "asymmetricMatch", "$$typeof", "nodeType", "constructor"]);

export function isProbedKey(key: string): boolean {
  return probedKeys.has(key);
}

export type ModuleApiTraps = ProxyHandler<object>;

/** The traps of writes, which fail the same before and after the module is loaded. */
export function readOnlyExports(specifier: string): ModuleApiTraps {
  return {
    set(_, key) {
      throw new TypeError(`cannot assign to "${String(key)}": the exports of ${specifier} are read-only`);
    },
    defineProperty(_, key) {
      throw new TypeError(`cannot define "${String(key)}": the exports of ${specifier} are read-only`);
    },
    deleteProperty(_, key) {
      throw new TypeError(`cannot delete "${String(key)}": the exports of ${specifier} are read-only`);
    },
  };
}

type Listing = (this: unknown, depth: number, options: InspectOptions, inspectFn: typeof inspect) => string;

/** `activate(target, handler)` must fill `handler` with the real traps (module-api.ts, activateModuleApi). */
export function createLazyModuleApi(specifier: string, activate: (target: object, handler: ModuleApiTraps) => void): object {
  const target = Object.create(null) as Record<string | symbol, unknown>;
  const handler: ModuleApiTraps = {};
  let active = false;
  const activated = (): ModuleApiTraps => {
    if (!active) {
      activate(target, handler);
      active = true;
    }
    return handler;
  };
  // util.inspect reads the target of a Proxy directly, not through the traps; activation replaces this.
  Object.defineProperty(target, inspect.custom, {
    value: function (this: unknown, depth: number, options: InspectOptions, inspectFn: typeof inspect): string {
      try {
        activated();
      } catch (error) {
        return `[Module: ${specifier}] <could not be loaded: ${error instanceof Error ? error.message : String(error)}>`;
      }
      return (target[inspect.custom] as Listing).call(this, depth, options, inspectFn);
    },
    configurable: true,
  });
  Object.assign(handler, readOnlyExports(specifier), {
    get(_: object, key: string | symbol, receiver: unknown): unknown {
      if (typeof key === "symbol") return key === Symbol.toStringTag ? "Module" : undefined;
      if (isProbedKey(key)) return undefined;
      return activated().get!(target, key, receiver);
    },
    has: (_: object, key: string | symbol) => activated().has!(target, key),
    ownKeys: () => activated().ownKeys!(target),
    getOwnPropertyDescriptor: (_: object, key: string | symbol) => activated().getOwnPropertyDescriptor!(target, key),
  } satisfies ModuleApiTraps);
  return new Proxy(target, handler);
}
