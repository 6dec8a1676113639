/**
 * Helpers an implementation module can import from `synchronicity-js/worker`.
 */

/**
 * Objects marked to be copied, not sent as handles. Kept on globalThis so that the implementation's
 * copy of this module and the worker's own agree even if they were loaded from different paths.
 */
const copies: WeakSet<object> = ((globalThis as Record<symbol, unknown>)[Symbol.for("synchronicity.copies")] ??= new WeakSet()) as WeakSet<object>;

/**
 * Return `value` as a copy (structured clone of its own fields) instead of as a proxy to the object
 * in the worker. Use it for plain data objects that happen to be class instances.
 */
export function copy<T extends object>(value: T): T {
  copies.add(value);
  return value;
}

export function isMarkedCopy(value: object): boolean {
  return copies.has(value);
}

/**
 * A resource made by `resource()`: its `value`, the tear-down as async disposal, and `use(block)`,
 * the form that tells the tear-down whether the block failed.
 */
export interface Resource<T> extends AsyncDisposable {
  readonly value: T;
  /**
   * Run `block` with the value, then tear down: if the block returns, the generator resumes after
   * its `yield` (commit); if it throws, its error is thrown into the generator at the `yield`
   * (rollback), and then rethrown here. Resolves to what the block returned.
   */
  use<R>(block: (value: T) => R | Promise<R>): Promise<Awaited<R>>;
}

/**
 * Turn an async generator function (set up, `yield` the value once, tear down) into a function that
 * returns a Resource: `await using r = open()` runs the set-up, `r.value` is what was yielded, and
 * leaving the block runs the tear-down (also when the block threw). Through a synchronizer the
 * caller gets both `using` (blocking) and `await using`.
 *
 * `using` cannot tell the tear-down whether the block threw (dispose gets no arguments), so after
 * `using` the generator always resumes normally after its `yield`. When the outcome matters (a
 * transaction: commit or roll back), use `r.use(block)`, which throws the block's error into the
 * generator at its `yield`, like an async context manager.
 *
 * A generator that never yields, or yields more than once, is an error.
 */
export function resource<A extends unknown[], T>(setup: (...args: A) => AsyncGenerator<T, void, undefined>): (...args: A) => Promise<Resource<T>> {
  const name = setup.name || "resource";
  return {
    async [name](...args: A): Promise<Resource<T>> {
      const generator = setup(...args);
      const first = await generator.next();
      if (first.done) throw new TypeError(`${name}: the resource generator finished without yielding a value`);
      return new ManagedResource(name, generator, first.value);
    },
  }[name]!;
}

class ManagedResource<T> implements Resource<T> {
  // Private, so that `value` is the only field a caller sees.
  readonly #label: string;
  readonly #generator: AsyncGenerator<T, void, undefined>;
  #closed = false;
  readonly value: T;

  constructor(label: string, generator: AsyncGenerator<T, void, undefined>, value: T) {
    this.#label = label;
    this.#generator = generator;
    this.value = value;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#finish(await this.#generator.next());
  }

  async use<R>(block: (value: T) => R | Promise<R>): Promise<Awaited<R>> {
    if (typeof block !== "function") throw new TypeError(`${this.#label}.use(block): block must be a function, not ${block === null ? "null" : typeof block}`);
    if (this.#closed) throw new TypeError(`${this.#label}.use(block): this resource was already torn down`);
    let result: Awaited<R>;
    try {
      result = await block(this.value);
    } catch (error) {
      this.#closed = true;
      // The tear-down sees the error at its `yield`; if it throws another one, that one wins.
      await this.#finish(await this.#generator.throw(error));
      throw error;
    }
    await this[Symbol.asyncDispose]();
    return result;
  }

  /** After the tear-down ran: a generator that yields again is an error. */
  async #finish(next: IteratorResult<T, void>): Promise<void> {
    if (!next.done) {
      await this.#generator.return(undefined);
      throw new TypeError(`${this.#label}: the resource generator yielded more than once`);
    }
  }
}
