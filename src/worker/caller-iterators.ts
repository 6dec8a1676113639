/**
 * The worker's view of an iterator the caller lent it (see caller/lent-iterators.ts): an async
 * iterator whose steps are calls of the caller's step function, so `for await` works on it and
 * `break` closes the caller's original.
 */
type Stepper = (how: "next" | "return" | "throw", value?: unknown) => Promise<unknown>;

const asyncIteratorPrototype: object = Object.getPrototypeOf(Object.getPrototypeOf((async function* () {})())) as object;

/** One view per step function: the same lent iterator is always the same object here. */
const views = new WeakMap<Stepper, object>();

export function callerIterator(step: Stepper): object {
  let view = views.get(step);
  if (view === undefined) {
    view = Object.create(asyncIteratorPrototype, {
      next: { value: (value?: unknown) => step("next", value), configurable: true, writable: true },
      return: { value: (value?: unknown) => step("return", value), configurable: true, writable: true },
      throw: { value: (error?: unknown) => step("throw", error), configurable: true, writable: true },
      [Symbol.toStringTag]: { value: "CallerIterator", configurable: true },
    }) as object;
    views.set(step, view);
  }
  return view;
}
