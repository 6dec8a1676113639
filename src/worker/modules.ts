/**
 * The modules a worker has imported, by the caller's module id. Each is imported once; calls that
 * arrive while it loads wait for it; a module that fails to load fails every call made on it with
 * the same error (and the caller sees the worker's message and stack).
 */
import type { ModuleId } from "../protocol/messages.js";
import type { ExportShape, ModuleShape } from "../protocol/shapes.js";
import { ModuleLoadError, ReferenceLostError } from "../errors.js";
import { functionKind, isClass, type Registry } from "../protocol/registry.js";
import { commonJsTypeScript } from "./loaders.js";
import { describeType } from "../protocol/describe.js";
import { findUncopyable } from "./uncopyable.js";
import { entriesOf, implementationBehind } from "../in-place-registry.js";
import { dynamicImport } from "./importer.js";

export interface LoadedModule {
  readonly specifier: string;
  readonly namespace: Readonly<Record<string, unknown>>;
  /** The namespace holds what the module wrapped in place (synchronizer.wrap), not its exports. */
  readonly inPlace?: true;
}

/**
 * Namespaces of the modules this worker has loaded, by URL, for synchronizers created inside the
 * worker itself (caller/local-api.ts).
 */
export const loadedInThisThread: Map<string, Readonly<Record<string, unknown>>> = ((globalThis as Record<symbol, unknown>)[
  Symbol.for("synchronicity.loopModules")
] ??= new Map()) as Map<string, Readonly<Record<string, unknown>>>;

export class Modules {
  private readonly loaded = new Map<ModuleId, Promise<LoadedModule>>();
  /** The modules whose import has finished, for the synchronous fast path of calls. */
  private readonly ready = new Map<ModuleId, LoadedModule>();
  /** The synchronizer's set-up module (option `setup`), which the caller imports first. */
  private setup: Promise<LoadedModule> | undefined;

  constructor(private readonly registry: Registry) {}

  /**
   * Start importing (once per id) and return the module. Once a set-up module was asked for, every
   * other module waits for it: its top level may be what they rely on (a warmed cache, an open file).
   */
  load(id: ModuleId, specifier: string, inPlace = false, setup = false): Promise<LoadedModule> {
    let module = this.loaded.get(id);
    if (module === undefined) {
      const importIt = () => (inPlace ? importInPlace(specifier) : importModule(specifier));
      const before = setup ? undefined : this.setup;
      module = before === undefined ? importIt() : before.then(importIt, (error: unknown) => Promise.reject(setupFailure(specifier, error)));
      if (setup) this.setup = module;
      // A failed load stays failed: every later call reports the same error, none hangs.
      // (Only namespaces of null prototype: see readyNow.)
      module.then((done) => Object.getPrototypeOf(done.namespace) === null && this.ready.set(id, done), () => {});
      this.loaded.set(id, module);
    }
    return module;
  }

  get(id: ModuleId): Promise<LoadedModule> {
    const module = this.loaded.get(id);
    if (module === undefined) {
      return Promise.reject(new ReferenceLostError(`module #${id} was never imported in this worker`));
    }
    return module;
  }

  /**
   * The module, if its import has finished and its namespace has a null prototype (an ES module's
   * namespace, the in-place table), so that a name it lacks reads as undefined rather than as an
   * Object.prototype method. Else undefined: use `get`.
   */
  readyNow(id: ModuleId): LoadedModule | undefined {
    return this.ready.get(id);
  }

  /** What the caller needs to build the module's proxy. Class descriptions go out as defs. */
  describe(module: LoadedModule): ModuleShape {
    const exports: Record<string, ExportShape> = {};
    for (const name of Object.keys(module.namespace)) {
      const value = implementationBehind(module.namespace[name]);
      if (isClass(value)) exports[name] = { kind: "class", cls: this.registry.classIdOf(value) };
      else if (typeof value === "function") exports[name] = { kind: "function", fn: functionKind(value) };
      else exports[name] = { kind: "value", value };
    }
    return { url: module.specifier, exports };
  }

  /** The export `name`, or a clear error naming the module and what it does export. */
  static exportOf(module: LoadedModule, name: string): unknown {
    if (!Object.prototype.hasOwnProperty.call(module.namespace, name)) {
      const names = Object.keys(module.namespace);
      if (module.inPlace) {
        throw new ReferenceLostError(
          `${module.specifier} wrapped nothing in place as "${name}" in the worker (it wrapped: ${names.join(", ") || "nothing"}); ` +
            "call synchronizer.wrap at the module's top level, outside `if (!synchronizer.isWorker)`, so that the worker's copy of the module wraps it too",
        );
      }
      throw new ReferenceLostError(
        `${module.specifier} has no export named "${name}"` + (names.length > 0 ? ` (it exports: ${names.join(", ")})` : " (it exports nothing)"),
      );
    }
    return implementationBehind(module.namespace[name]);
  }
}

/** A module not imported because the set-up module failed: a load failure of its own, caused by that one. */
function setupFailure(specifier: string, error: unknown): ModuleLoadError {
  const reason = error instanceof Error ? error.message : String(error);
  return new ModuleLoadError(`could not load ${specifier} in the worker: the set-up module (option setup) failed: ${reason}`, { cause: error, specifier });
}

/** URLs this worker is importing right now (a module that wraps itself sees its own URL here). */
const loadingInThisThread: Set<string> = ((globalThis as Record<symbol, unknown>)[Symbol.for("synchronicity.loopLoading")] ??= new Set()) as Set<string>;

async function importModule(specifier: string): Promise<LoadedModule> {
  let namespace: Record<string, unknown>;
  loadingInThisThread.add(specifier);
  try {
    namespace = commonJsTypeScript(specifier) ?? ((await dynamicImport(specifier)) as Record<string, unknown>);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ModuleLoadError(`could not load ${specifier} in the worker: ${reason}`, { cause: error, specifier });
  } finally {
    loadingInThisThread.delete(specifier);
  }
  loadedInThisThread.set(specifier, namespace);
  return { specifier, namespace };
}

/**
 * A module that wraps things in place: importing it runs its `synchronizer.wrap` calls in this
 * thread, which register what they wrap (in-place-registry.ts); that table is its namespace here.
 */
async function importInPlace(specifier: string): Promise<LoadedModule> {
  await importModule(specifier);
  return { specifier, namespace: entriesOf(specifier), inPlace: true };
}

/**
 * The shape with every constant that cannot be copied to the caller replaced by the message of the
 * error that reading it gives (a module exporting a Symbol still offers all its other exports).
 */
export function markUncopyableExports(shape: ModuleShape, byReference: (value: object) => boolean): ModuleShape {
  const exports: Record<string, ExportShape> = {};
  for (const [name, exported] of Object.entries(shape.exports)) {
    const found = exported.kind === "value" ? findUncopyable(exported.value, byReference) : undefined;
    exports[name] =
      found === undefined
        ? exported
        : {
            kind: "uncopyable",
            message: `the export "${name}" of ${shape.url}${found.path ? `, at ${found.path},` : ""} cannot be copied to the other thread: it is ${describeType(found.value)} (${found.reason})`,
          };
  }
  return { ...shape, exports };
}
