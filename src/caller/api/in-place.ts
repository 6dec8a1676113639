/**
 * `synchronizer.wrap(import.meta, impl)`: wrapping a function, generator function or class in the
 * module that defines it, as the Python original's decorators do.
 *
 * The defining module runs in both threads. In the caller, `wrap` returns a proxy addressed to
 * the module's URL and the wrapped thing's name, without starting anything. On the first request
 * the worker imports that URL; its copy of the module runs the same `wrap` calls, which register
 * each implementation under its name (in-place-registry.ts) and return it for local use, so that
 * the worker serves the request from that table. Which synchronizer object in the worker
 * "corresponds" to the caller's does not matter: requests name a module and a thing, and every
 * `wrap` running in a worker thread registers into that thread's one table.
 */
import { isAbsolute } from "node:path";
import { pathToFileURL } from "node:url";
import type { ClassShape } from "../../protocol/shapes.js";
import { functionKind, isClass } from "../../protocol/functions.js";
import { describeType } from "../../protocol/describe.js";
import { noteLocalForms, registerInPlace } from "../../in-place-registry.js";
// The class is described here exactly as the worker will describe it, by the same pure code, so
// that its proxy class exists before any worker does.
import { Registry } from "../../protocol/registry.js";
import type { Core, ModuleEntry } from "./core.js";
import { makeCallable } from "../remote/callable.js";
import { ClassTable } from "../wire/classes.js";
import { localForms } from "./local-api.js";
import { createProxyClass } from "../remote/proxies.js";
import { isWorkerThread } from "../support/worker-thread.js";

/** Where a wrapped thing is defined: `import.meta`, CommonJS's `module` or `__filename`, or a file: URL. */
export type DefiningModule = ImportMeta | { readonly filename: string } | string | URL;

/** Options of `synchronizer.wrap`. */
export interface WrapInPlaceOptions {
  /**
   * The key of the wrapped thing within its module, the same in both threads (default: the
   * function's or class's own name). Needed for anonymous functions and to tell apart two things
   * of the same name.
   */
  readonly name?: string;
}

type AnyClass = abstract new (...args: never[]) => unknown;

const loadingKey = Symbol.for("synchronicity.loopLoading");

/** What `wrap` returned, per synchronizer, by "moduleId/name": wrapping twice gives the same object. */
const wrappedBy = new WeakMap<Core, Map<string, unknown>>();
/** Implementation class -> its proxy class, per synchronizer: a wrapped base class stays the base. */
const classesBy = new WeakMap<Core, WeakMap<object, AnyClass>>();

export function wrapInPlace(core: Core, where: unknown, impl: unknown, options: unknown): unknown {
  const url = definingModuleUrl(where);
  if (typeof impl !== "function") {
    throw new TypeError(`synchronizer.wrap(module, impl): impl must be a function, a generator function or a class, not ${describeType(impl)}`);
  }
  const name = nameOf(impl, options);
  registerInPlace(url, name, impl);
  if (isWorkerThread()) {
    // This is the worker (or a worker of another synchronizer that imported the module): the
    // implementation runs right here, with no round trip.
    if (isClass(impl)) return impl;
    const forms = localForms(impl as (...args: unknown[]) => unknown, name, topLevelHint) as object;
    noteLocalForms(forms, impl);
    return forms;
  }
  const entry = core.module(url, true);
  let wrapped = wrappedBy.get(core);
  if (wrapped === undefined) wrappedBy.set(core, (wrapped = new Map()));
  const key = `${entry.id}/${name}`;
  if (!wrapped.has(key)) {
    wrapped.set(key, isClass(impl) ? proxyClass(core, entry, name, impl) : makeCallable(core, { module: entry.id, name }, name, functionKind(impl)));
  }
  return wrapped.get(key);
}

/** The defining module's URL, the key both threads file the wrapped things under. */
function definingModuleUrl(where: unknown): string {
  const what = "synchronizer.wrap(module, impl): module must be import.meta, CommonJS's module or __filename, or a file: URL";
  if (where instanceof URL) return checkScheme(where.href, what);
  if (typeof where === "string") {
    if (/^(file|data):/.test(where)) return checkScheme(new URL(where).href, what);
    if (isAbsolute(where)) return pathToFileURL(where).href;
    throw new TypeError(`${what}, not the relative path "${where}"`);
  }
  if (typeof where === "object" && where !== null) {
    const { url, filename } = where as { url?: unknown; filename?: unknown };
    if (typeof url === "string") return checkScheme(url, what);
    if (typeof filename === "string" && isAbsolute(filename)) return pathToFileURL(filename).href;
  }
  throw new TypeError(`${what}, not ${describeType(where)}`);
}

function checkScheme(url: string, what: string): string {
  if (!/^(file|data):/.test(url)) throw new TypeError(`${what}; ${url} is not one the worker can import again`);
  return url;
}

function nameOf(impl: { readonly name: string }, options: unknown): string {
  if (options === undefined) options = {};
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`synchronizer.wrap(module, impl, options): options must be an object, not ${describeType(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (key !== "name") throw new TypeError(`synchronizer.wrap(module, impl, options): unknown option "${key}" (known: name)`);
  }
  const { name } = options as WrapInPlaceOptions;
  if (name !== undefined) {
    if (typeof name !== "string" || name.length === 0) {
      throw new TypeError(`synchronizer.wrap(module, impl, options): options.name must be a non-empty string, not ${describeType(name)}`);
    }
    return name;
  }
  if (typeof impl.name === "string" && impl.name.length > 0) return impl.name;
  throw new TypeError(
    "synchronizer.wrap(module, impl): impl has no name (an anonymous function or class), and the worker finds it by name: name it (async function f() {}) or pass { name: \"f\" }",
  );
}

/**
 * The proxy class of a class wrapped in place, built from the class itself: `new`, static members
 * and `instanceof` work before the worker has started, and the worker's copy is bound to it when
 * the worker describes the module (core.ts, linkClasses).
 */
function proxyClass(core: Core, entry: ModuleEntry, name: string, impl: AnyClass): AnyClass {
  const registry = new Registry();
  const id = registry.classIdOf(impl);
  const defs: readonly ClassShape[] = registry.takeDefs() ?? [];
  let known = classesBy.get(core);
  if (known === undefined) classesBy.set(core, (known = new WeakMap()));
  const table = new ClassTable(createProxyClass);
  table.define(defs);
  for (const def of defs) {
    const base = registry.classById(def.id);
    const existing = base === undefined ? undefined : known.get(base);
    if (existing !== undefined) table.bind(def.id, existing);
  }
  const cls = table.get(id)!;
  core.adoptClass(entry, name, cls, table.shape(id)!);
  known.set(impl, cls);
  // In the caller's copy of the module, `class B extends A` sees A's proxy class, not A itself.
  known.set(cls, cls);
  return cls;
}

/**
 * A blocking call made while the worker imports a module is, most likely, a script's main work
 * run again by the worker's copy of the script: say how to keep it out.
 */
function topLevelHint(): string | undefined {
  const loading = (globalThis as Record<symbol, unknown>)[loadingKey] as ReadonlySet<string> | undefined;
  if (loading === undefined || loading.size === 0) return undefined;
  return (
    `the worker is importing ${[...loading].join(", ")}, which runs the module's top-level code again there: ` +
    "keep a script's main work out of the worker with `if (!synchronizer.isWorker) { ... }`, and use the .aio form inside async code"
  );
}
