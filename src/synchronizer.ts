/**
 * The public entry point. A Synchronizer owns one worker thread with its own event loop; the
 * modules it wraps are imported and run there, and the proxies it hands out call into them,
 * blocking or async.
 */
import type { Api, Wrapped } from "./types/api.js";
import { Core, type Diagnostics, type SynchronizerOptions, type ThreadsOptions } from "./caller/core.js";
import { PoolCore } from "./caller/pool/pool-core.js";
import { createModuleApi } from "./caller/module-api.js";
import { resolveSpecifier } from "./caller/resolve.js";
import { callerFileUrl } from "./caller/caller-file.js";
import { captureSite } from "./caller/site.js";
import { withCallerFrames } from "./caller/stack.js";
import { createLocalApi } from "./caller/local-api.js";
import { validateOptions } from "./caller/options.js";
import { isWorkerThread, wrapInPlace, type DefiningModule, type WrapInPlaceOptions } from "./caller/in-place.js";

export type { DefiningModule, Diagnostics, SynchronizerOptions, ThreadsOptions, WrapInPlaceOptions };

/** What `wrap` accepts: a function (async, sync, generator) or a class. */
export type WrappableInPlace = ((...args: never[]) => unknown) | (abstract new (...args: never) => unknown);

export interface WrapOptions {
  /** Import the module now (blocking) instead of on first use, so that load errors surface here. */
  readonly eager?: boolean;
}

export class Synchronizer {
  readonly #core: Core;

  constructor(options: SynchronizerOptions = {}) {
    const valid = validateOptions(options);
    const setup = valid.setup === undefined ? undefined : resolveSetup(valid.setup);
    // One thread (the default) keeps the plain Core: a pool adds its routing only where asked for.
    this.#core = valid.threads === undefined || valid.threads === 1 ? new Core(valid, setup) : new PoolCore(valid, setup);
  }

  /**
   * Wrap a module that the worker imports: a URL, a `file:` URL string, an absolute path, a path
   * relative to the calling file, or a package name resolved from the calling file.
   * Nothing starts until the first use of an export (or now, with `{ eager: true }`).
   */
  wrapModule<M extends object>(module: string | URL, options: WrapOptions = {}): Api<M> {
    const specifier = resolveSpecifier(module, callerFileUrl());
    const local = localModule(specifier);
    if (local !== undefined) return local as Api<M>;
    const entry = this.#core.module(specifier);
    entry.api ??= createModuleApi(this.#core, entry);
    if (options.eager) {
      try {
        this.#core.shapeSync(entry);
      } catch (error) {
        throw withCallerFrames(error, captureSite());
      }
    }
    return entry.api as Api<M>;
  }

  /**
   * Wrap a function, generator function or class in the module that defines it:
   * `export const f = synchronizer.wrap(import.meta, async function f(x: number) { ... })`.
   * In the caller this returns the wrapped form (blocking, `.aio`, `.future`; a proxy class); the
   * worker imports the defining module, where `wrap` registers the implementation under its name
   * (or `options.name`) and returns its local forms. The module's top-level code therefore runs in
   * the worker too: keep a script's main work in `if (!synchronizer.isWorker) { ... }`.
   * CommonJS modules pass `module` or `__filename`.
   */
  wrap<T extends WrappableInPlace>(module: DefiningModule, impl: T, options?: WrapInPlaceOptions): Wrapped<T> {
    return wrapInPlace(this.#core, module, impl, options) as Wrapped<T>;
  }

  /**
   * True in a synchronizer's worker thread, where modules that wrap things in place are imported
   * again: their top-level code should do its side effects only when this is false.
   */
  get isWorker(): boolean {
    return isWorkerThread();
  }

  /** Like wrapModule, but imports the module without blocking: for code that only uses `.aio`. */
  async importModule<M extends object>(module: string | URL): Promise<Api<M>> {
    const specifier = resolveSpecifier(module, callerFileUrl());
    const local = localModule(specifier);
    if (local !== undefined) return local as Api<M>;
    const entry = this.#core.module(specifier);
    entry.api ??= createModuleApi(this.#core, entry);
    try {
      await this.#core.shapeAsync(entry);
    } catch (error) {
      throw withCallerFrames(error, captureSite());
    }
    return entry.api as Api<M>;
  }

  /**
   * Table sizes and memory of the worker and of this thread's side, for finding leaks:
   * `worker.handles` counts the objects and iterators the caller holds in the worker.
   */
  diagnostics(): Promise<Diagnostics> {
    return this.#core.diagnostics();
  }

  /** Whether close() was called. */
  get closed(): boolean {
    return this.#core.closed;
  }

  /**
   * Stop the worker. Calls in flight fail with a ClosedError; later calls too. Idempotent.
   * Resolves when the worker threads have ended.
   */
  close(): Promise<void> {
    return this.#core.close();
  }

  /** `using synchronizer = new Synchronizer()`: closes without waiting for the threads to end. */
  [Symbol.dispose](): void {
    this.#core.closeNow();
  }

  /** `await using synchronizer = new Synchronizer()`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.#core.close();
  }
}

/** The `setup` option's module as a URL, resolved from the file constructing the Synchronizer. */
function resolveSetup(setup: string | URL): string {
  try {
    return resolveSpecifier(setup, callerFileUrl());
  } catch (error) {
    throw new TypeError(`new Synchronizer(options): options.setup: ${(error instanceof Error ? error.message : String(error)).replace(/^wrapModule: /, "")}`, { cause: error });
  }
}

/**
 * Inside a synchronizer's worker, a module that worker runs (or is loading) is wrapped in place:
 * the implementation's own public face, imported by the implementation, must not start a second
 * worker with a second copy of the module's state.
 */
function localModule(specifier: string): object | undefined {
  const global = globalThis as Record<symbol, unknown>;
  if (global[Symbol.for("synchronicity.loopThread")] !== true) return undefined;
  const loaded = global[Symbol.for("synchronicity.loopModules")] as Map<string, Readonly<Record<string, unknown>>> | undefined;
  const loading = global[Symbol.for("synchronicity.loopLoading")] as Set<string> | undefined;
  if (!loaded?.has(specifier) && !loading?.has(specifier)) return undefined;
  return createLocalApi(specifier, () => loaded?.get(specifier));
}
