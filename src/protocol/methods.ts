/**
 * Functions found as properties of plain objects are methods: `{ x: 1, get() { return this.x } }`
 * sent to the other side must still read `this.x` when `get()` is called there. Such a function
 * is sent bound to the object that holds it. The bound form is cached per (object, function), so
 * the same method of the same object is always the same reference (one handle, one proxy).
 */
export class MethodBindings {
  private readonly bound = new WeakMap<object, WeakMap<object, object>>();

  /** `fn` bound to `owner`; generator and async functions stay what they are (bind keeps the kind). */
  of(owner: object, fn: (...args: unknown[]) => unknown): (...args: unknown[]) => unknown {
    let forOwner = this.bound.get(owner);
    if (forOwner === undefined) {
      forOwner = new WeakMap();
      this.bound.set(owner, forOwner);
    }
    let method = forOwner.get(fn) as ((...args: unknown[]) => unknown) | undefined;
    if (method === undefined) {
      method = fn.bind(owner);
      // bind() names it "bound f"; the other side shows the function's own name.
      Object.defineProperty(method, "name", { value: fn.name, configurable: true });
      forOwner.set(fn, method);
    }
    return method;
  }
}
