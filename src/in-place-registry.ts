/**
 * What this thread has wrapped in place (`synchronizer.wrap(import.meta, impl)`), by the defining
 * module's URL and the name the thing was wrapped under.
 *
 * Both sides fill it by running the same code: the caller when it evaluates the defining module,
 * the worker when it imports that module for a request. The worker then serves the requests from
 * it (worker/modules.ts treats each module's entries as that module's "exports"), so a request
 * names a wrapped thing the same way in both threads: module URL + name.
 *
 * It lives on globalThis because one thread may hold two copies of this library (an ESM and a
 * CommonJS build, or a bundled one); both must see one table, or duplicates would go unnoticed and
 * the worker's dispatcher would not find what the user's copy registered.
 */

type Entries = Record<string, unknown>;

const table: Map<string, Entries> = ((globalThis as Record<symbol, unknown>)[Symbol.for("synchronicity.inPlace")] ??= new Map()) as Map<
  string,
  Entries
>;

/**
 * Record `impl` as `name` in the module at `url`. The same value again under the same name is
 * fine (two synchronizers wrapping one function); another value under a taken name is an error
 * that says how to fix it.
 */
export function registerInPlace(url: string, name: string, impl: unknown): void {
  const entries = entriesOf(url);
  if (Object.prototype.hasOwnProperty.call(entries, name) && entries[name] !== impl) {
    throw new TypeError(
      `synchronizer.wrap: ${url} already wrapped something else as "${name}"; every thing wrapped in place needs a name of its own within its module: pass { name: "..." } to tell them apart`,
    );
  }
  entries[name] = impl;
}

/**
 * The things wrapped in place in the module at `url`, by name: a live object, so that what is
 * wrapped after a first request is found as well.
 */
export function entriesOf(url: string): Entries {
  let entries = table.get(url);
  if (entries === undefined) {
    entries = Object.create(null) as Entries;
    table.set(url, entries);
  }
  return entries;
}

/**
 * In a worker, `wrap` returns local forms rather than the implementation; a module wrapped with
 * wrapModule exports those forms, and the worker must call what is behind them.
 */
const behindForms: WeakMap<object, unknown> = ((globalThis as Record<symbol, unknown>)[Symbol.for("synchronicity.inPlaceForms")] ??=
  new WeakMap()) as WeakMap<object, unknown>;

export function noteLocalForms(forms: object, impl: unknown): void {
  behindForms.set(forms, impl);
}

/** The implementation behind local forms returned by `wrap`, or `value` itself. */
export function implementationBehind(value: unknown): unknown {
  return typeof value === "function" && behindForms.has(value) ? behindForms.get(value) : value;
}
