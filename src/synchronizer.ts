/**
 * The public entry point. A Synchronizer owns one worker thread with its own event loop; the
 * modules it wraps are imported and run there, and the proxies it hands out call into them,
 * blocking or async.
 */
import type { Api, Wrapped } from "./types/api.js";
import type { Core } from "./caller/api/core.js";
import type { Diagnostics, SynchronizerOptions, ThreadsOptions } from "./caller/api/settings.js";
import { loadCore } from "./caller/api/core-loader.js";
import { createLazyModuleApi } from "./caller/api/lazy-module-api.js";
import { resolveSpecifier } from "./caller/support/resolve.js";
import { callerFileUrl } from "./caller/support/caller-file.js";
import { captureSite } from "./caller/support/site.js";
import { withCallerFrames } from "./caller/support/stack.js";
import { isWorkerThread } from "./caller/support/worker-thread.js";
import { hostOptions, validateOptions } from "./caller/api/options.js";
import { abandonThread, startThread, type StartedThread } from "./caller/host/thread-start.js";
import type { DefiningModule, WrapInPlaceOptions } from "./caller/api/in-place.js";

export type { DefiningModule, Diagnostics, SynchronizerOptions, ThreadsOptions, WrapInPlaceOptions };

/** What `wrap` accepts: a function (async, sync, generator) or a class. */
export type WrappableInPlace = ((...args: never[]) => unknown) | (abstract new (...args: never) => unknown);

export interface WrapOptions {
  /** Import the module now (blocking) instead of on first use, so that load errors surface here. */
  readonly eager?: boolean;
}

/**
 * This class is the caller's front (scripts/build.mjs): it and what it needs until a worker is
 * needed load with the package. Its state lives in a Core, made with the rest of the library
 * (caller/api/core-loader.ts) on first use. The first use that needs a worker (an export of a
 * wrapped module) starts the worker's thread first, so that the rest loads while it boots.
 */
export class Synchronizer {
  readonly #options: SynchronizerOptions;
  /** The `setup` option's module, resolved. */
  readonly #setup: string | undefined;
  #core: Core | undefined;
  /** Closed before it was ever used: no Core was made (nor the rest of the library loaded) to close. */
  #closedUnused = false;
  /** What wrapModule returned, by module: the same object every time. */
  readonly #modules = new Map<string, object>();

  constructor(options: SynchronizerOptions = {}) {
    this.#options = validateOptions(options);
    this.#setup = this.#options.setup === undefined ? undefined : resolveSetup(this.#options.setup);
  }

  /**
   * The Core, made (with the rest of the library) on first need. With `needsWorker`, a single
   * thread's worker is started before the library loads: it takes 20 ms to boot, the library 4 ms
   * to load. (If it cannot start here, the Core starts it and says why on its first request.)
   */
  #coreNow(needsWorker = false): Core {
    if (this.#core !== undefined) return this.#core;
    const options = this.#options;
    // One thread (the default) keeps the plain Core: a pool adds its routing only where asked for.
    const single = options.threads === undefined || options.threads === 1;
    let started: StartedThread | undefined;
    if (needsWorker && single && !this.#closedUnused) {
      try {
        started = startThread(hostOptions(options));
      } catch {
        started = undefined;
      }
    }
    try {
      const { Core, PoolCore } = loadCore();
      this.#core = single ? new Core(options, this.#setup, started) : new PoolCore(options, this.#setup);
    } catch (error) {
      if (started !== undefined) abandonThread(started);
      throw error;
    }
    // Closed before any use: a closed Core, which refuses what is asked of it as any closed one does.
    if (this.#closedUnused) this.#core.closeNow();
    return this.#core;
  }

  /** The object wrapModule and importModule return for `specifier`: made once, loaded on first use. */
  #moduleApi(specifier: string): object {
    let api = this.#modules.get(specifier);
    if (api === undefined) {
      api = createLazyModuleApi(specifier, (target, handler) => {
        const core = this.#coreNow(true);
        loadCore().activateModuleApi(core, core.module(specifier), target, handler);
      });
      this.#modules.set(specifier, api);
    }
    return api;
  }

  /**
   * Wrap a module that the worker imports: a URL, a `file:` URL string, an absolute path, a path
   * relative to the calling file, or a package name resolved from the calling file.
   * Nothing starts until the first use of an export (or now, with `{ eager: true }`).
   */
  wrapModule<M extends object>(module: string | URL, options: WrapOptions = {}): Api<M> {
    const specifier = resolveSpecifier(module, callerFileUrl);
    const local = localModule(specifier);
    if (local !== undefined) return local as Api<M>;
    const api = this.#moduleApi(specifier);
    if (options.eager) {
      try {
        const core = this.#coreNow(true);
        core.shapeSync(core.module(specifier));
      } catch (error) {
        throw withCallerFrames(error, captureSite());
      }
    }
    return api as Api<M>;
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
    return loadCore().wrapInPlace(this.#coreNow(), module, impl, options) as Wrapped<T>;
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
    const specifier = resolveSpecifier(module, callerFileUrl);
    const local = localModule(specifier);
    if (local !== undefined) return local as Api<M>;
    const api = this.#moduleApi(specifier);
    try {
      const core = this.#coreNow(true);
      await core.shapeAsync(core.module(specifier));
    } catch (error) {
      throw withCallerFrames(error, captureSite());
    }
    return api as Api<M>;
  }

  /**
   * Table sizes and memory of the worker and of this thread's side, for finding leaks:
   * `worker.handles` counts the objects and iterators the caller holds in the worker.
   */
  diagnostics(): Promise<Diagnostics> {
    return this.#coreNow().diagnostics();
  }

  /** Whether close() was called. */
  get closed(): boolean {
    return this.#core?.closed ?? this.#closedUnused;
  }

  /**
   * Stop the worker. Calls in flight fail with a ClosedError; later calls too. Idempotent.
   * Resolves when the worker threads have ended.
   */
  close(): Promise<void> {
    if (this.#core === undefined) {
      this.#closedUnused = true;
      return Promise.resolve();
    }
    return this.#core.close();
  }

  /** `using synchronizer = new Synchronizer()`: closes without waiting for the threads to end. */
  [Symbol.dispose](): void {
    if (this.#core === undefined) this.#closedUnused = true;
    else this.#core.closeNow();
  }

  /** `await using synchronizer = new Synchronizer()`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/** The `setup` option's module as a URL, resolved from the file constructing the Synchronizer. */
function resolveSetup(setup: string | URL): string {
  try {
    return resolveSpecifier(setup, callerFileUrl);
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
  if (!isWorkerThread()) return undefined;
  const loaded = global[Symbol.for("synchronicity.loopModules")] as Map<string, Readonly<Record<string, unknown>>> | undefined;
  const loading = global[Symbol.for("synchronicity.loopLoading")] as Set<string> | undefined;
  if (!loaded?.has(specifier) && !loading?.has(specifier)) return undefined;
  return loadCore().createLocalApi(specifier, () => loaded?.get(specifier));
}

/** Release the worker-side object behind `proxy` now, instead of when the proxy is garbage collected. */
export function release(proxy: object): void {
  loadCore().release(proxy);
}
