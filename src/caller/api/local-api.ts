/**
 * A module wrapped from inside the worker that already runs it (an implementation that imports
 * its own public face). Going through a nested worker would give it a second, separate copy of
 * every module-level state, so here the wrapped API calls the implementation directly:
 * `.aio` calls the function in this thread, and blocking forms fail at once with a DeadlockError
 * where they would have to wait for this thread's own event loop.
 */
import { DeadlockError, ReferenceLostError } from "../../errors.js";
import { functionKind, isClass, isThenable } from "../../protocol/functions.js";
import { implementationBehind } from "../../in-place-registry.js";

/**
 * `hint`, when it says something, replaces the usual advice (see in-place.ts: a script's top level).
 * `ran`: a sync function that returned a promise, which cannot be told apart before it runs.
 */
function deadlock(name: string, hint?: () => string | undefined, ran = false): DeadlockError {
  const what = ran
    ? `${name}(...) ran, but returned a promise, which a blocking call made from inside the synchronizer's worker thread cannot wait for (this thread runs the event loop that settles it)`
    : `${name}(...) was called blocking from inside the synchronizer's worker thread, which runs the event loop it would wait for; it was not run`;
  return new DeadlockError(`deadlock: ${what}; ${hint?.() ?? `use await ${name}.aio(...) there`}`);
}

/** The forms of a wrapped function inside the worker that runs it: direct calls. */
export function localForms(fn: (...args: unknown[]) => unknown, name: string, hint?: () => string | undefined): unknown {
  const kind = functionKind(fn);
  const blocking = (...args: unknown[]): unknown => {
    if (kind === "async" || kind === "async-generator") throw deadlock(name, hint);
    const result = fn(...args);
    if (isThenable(result)) {
      // A sync function returning a promise cannot be told apart before it runs.
      (result as Promise<unknown>).then(undefined, () => {});
      throw deadlock(name, hint, true);
    }
    return result;
  };
  const aio = kind === "async-generator" || kind === "generator" ? (...args: unknown[]) => fn(...args) : async (...args: unknown[]) => fn(...args);
  const future = (): never => {
    throw deadlock(name, hint);
  };
  const forms = Object.assign(blocking, { aio, future, with: () => forms });
  Object.defineProperty(blocking, "name", { value: name });
  return forms;
}

/** `lookup` gives the module's namespace once this worker has loaded it. */
export function createLocalApi(specifier: string, lookup: () => Readonly<Record<string, unknown>> | undefined): object {
  const members = new Map<string, unknown>();
  const namespace = () => {
    const ns = lookup();
    if (ns === undefined) throw new ReferenceLostError(`${specifier} is still loading in this worker; use its exports from functions, not at its top level`);
    return ns;
  };
  return new Proxy(Object.create(null) as object, {
    get(_, key) {
      if (typeof key === "symbol" || key === "then") return undefined;
      if (members.has(key)) return members.get(key);
      const ns = namespace();
      // Like a module namespace object: a name the module does not export reads as undefined.
      if (!(key in ns)) return undefined;
      const value = implementationBehind(ns[key]);
      const member = typeof value === "function" && !isClass(value) ? localForms(value as (...args: unknown[]) => unknown, key) : value;
      members.set(key, member);
      return member;
    },
    has: (_, key) => typeof key === "string" && key in namespace(),
    ownKeys: () => Object.keys(namespace()),
    getOwnPropertyDescriptor: (_, key) => (typeof key === "string" && key in namespace() ? { value: namespace()[key], enumerable: true, configurable: true } : undefined),
  });
}
