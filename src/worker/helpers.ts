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

/** A resource made by `resource()`: its `value`, and the teardown as async disposal. */
export interface Resource<T> extends AsyncDisposable {
  readonly value: T;
}

/**
 * Turn an async generator function (set up, `yield` the value once, tear down) into a function that
 * returns a Resource: `await using r = open()` runs the set-up, `r.value` is what was yielded, and
 * leaving the block runs the tear-down (also when the block threw). Through a synchronizer the
 * caller gets both `using` (blocking) and `await using`.
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
    const next = await this.#generator.next();
    if (!next.done) {
      await this.#generator.return(undefined);
      throw new TypeError(`${this.#label}: the resource generator yielded more than once`);
    }
  }
}
