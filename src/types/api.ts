/**
 * The types of wrapped APIs: what `wrapModule<typeof import("./impl.js")>` returns, computed from
 * the implementation's own types, so that `api.square(4)` is a `number` where the implementation
 * returns `Promise<number>`.
 */
import type { Future } from "../caller/future.js";

/** A wrapped function: blocking when called, with `.aio` and `.future` forms. */
export interface BlockingFunction<A extends unknown[], R> {
  (...args: A): R;
  /** The same call, as a Promise: never blocks the caller's event loop. */
  aio(...args: A): Promise<R>;
  /** The same call, started now: `.result()` blocks for the value, `await` works too. */
  future(...args: A): Future<R>;
}

/** What one export becomes. */
export type Wrapped<T> = T extends abstract new (...args: never) => unknown
  ? T
  : T extends (...args: infer A) => infer R
    ? BlockingFunction<A, Awaited<R>>
    : T;

/** The wrapped view of a whole module: `Api<typeof import("./impl.js")>`. */
export type Api<M> = { readonly [K in keyof M]: Wrapped<M[K]> };
