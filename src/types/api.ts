/**
 * The types of wrapped APIs: what `wrapModule<typeof import("./impl.js")>` returns, computed from
 * the implementation's own types. Async functions become blocking ones (`Promise<T>` -> `T`) with
 * `.aio` and `.future` forms, classes become proxy classes whose instances are blocking views of
 * the worker's objects, generators become iterators, and all of it applies to values at any depth.
 *
 * Every mapping takes an optional `F extends ClassViews`: declarations written by
 * `synchronicity-js types` pass one, so that instances of the module's own classes become the
 * generated views (which keep generic methods) wherever they appear, also nested.
 */
import type { Future } from "../caller/remote/future.js";
import type { CallOptions } from "../caller/remote/callable.js";
import type { ConstructorOverloads, OverloadList, Overloads } from "./overloads.js";

/** A wrapped function: blocking when called, with `.aio` and `.future` forms. */
export interface BlockingFunction<A extends unknown[], R> {
  (...args: A): R;
  /** The same call, as a Promise: never blocks the caller's event loop. */
  aio(...args: A): Promise<R>;
  /** The same call, started now: `.result()` blocks for the value, `await` works too. */
  future(...args: A): Future<R>;
  /** The same forms, with options for the calls made through them. */
  with(options: CallOptions): BlockingFunction<A, R>;
}

/** An iterator living in the worker: `for...of` blocks for each item, `for await` does not. */
export type RemoteIterable<Y, R = unknown, N = unknown> = Generator<Y, R, N> & {
  [Symbol.asyncIterator](): AsyncGenerator<Y, R, N>;
};

/** A wrapped generator function: the blocking form returns a Generator, `.aio` an AsyncGenerator. */
export interface GeneratorFunction<A extends unknown[], Y, R, N> {
  (...args: A): RemoteIterable<Y, R, N>;
  aio(...args: A): AsyncGenerator<Y, R, N>;
  with(options: CallOptions): GeneratorFunction<A, Y, R, N>;
}

/**
 * A type-level function from an instance type of the worker to the view the caller gets, for the
 * classes a generated declaration knows (`instance` in, `view` out; `never` for other values).
 * Mapped types cannot carry generic methods; the generated views can, so they take precedence.
 */
export interface ClassViews {
  readonly instance: unknown;
  readonly view: unknown;
}
/** No class has a generated view: every object maps to `Blocking<T>`. */
export interface NoViews extends ClassViews {
  readonly view: never;
}
type ViewOf<V, F extends ClassViews> = (F & { readonly instance: V })["view"];

declare const generatedApi: unique symbol;
/**
 * Marks the `Api` type of a declaration written by `synchronicity-js types`: `wrapModule<M>`
 * returns such a type as it is instead of mapping it again.
 */
export interface GeneratedApi {
  readonly [generatedApi]: true;
}

type Primitive = string | number | bigint | boolean | symbol | null | undefined;
/** Values structured clone copies as they are. */
type Copied = Primitive | Date | RegExp | ArrayBufferLike | ArrayBufferView | Blob | Error;
type AnyFunction = (...args: never[]) => unknown;

/** One argument: a proxy may be passed where the implementation expects its object. */
export type Arg<T, F extends ClassViews = NoViews> = T | Remote<T, F>;
/** Arguments: a proxy may be passed where the implementation expects its object. */
export type Arguments<A extends unknown[], F extends ClassViews = NoViews> = {
  // A callback gets what the worker passes it as the caller receives it (proxies for objects); no
  // union with its own proxy form, which would cost it its contextual parameter types.
  [I in keyof A]: A[I] extends (...args: infer P) => infer R ? (...args: { [J in keyof P]: Remote<P[J], F> }) => R : A[I] | Remote<A[I], F>;
};

/** What one signature of a function or method of the worker becomes. */
type SingleMethod<A extends unknown[], R, F extends ClassViews> = [R] extends [AsyncGenerator<infer Y, infer TR, infer N>]
  ? GeneratorFunction<Arguments<A, F>, Remote<Y, F>, Remote<TR, F>, N>
  : [R] extends [Generator<infer Y, infer TR, infer N>]
    ? GeneratorFunction<Arguments<A, F>, Remote<Y, F>, Remote<TR, F>, N>
    : BlockingFunction<Arguments<A, F>, Remote<Awaited<R>, F>>;

/** The forms of each overload, one after the other (the first that matches a call wins, as in TypeScript). */
type EachOverload<L extends OverloadList, F extends ClassViews> = L extends [infer H extends [unknown[], unknown], ...infer T extends OverloadList]
  ? SingleMethod<H[0], H[1], F> & EachOverload<T, F>
  : unknown;
/** An overloaded function: every overload in every form; `.with()` keeps them all. */
export type OverloadedFunction<L extends OverloadList, F extends ClassViews = NoViews> = {
  with(options: CallOptions): OverloadedFunction<L, F>;
} & EachOverload<L, F>;

/** What a function or method of the worker becomes (overloads kept, up to the number `Overloads` matches). */
export type Method<Fn, F extends ClassViews = NoViews> =
  Overloads<Fn> extends infer L extends OverloadList
    ? L extends [[infer A extends unknown[], infer R]]
      ? SingleMethod<A, R, F>
      : OverloadedFunction<L, F>
    : never;

/** Blocking twins of the async protocols an object implements. */
export type Protocols<T, F extends ClassViews = NoViews> = (T extends AsyncDisposable | Disposable ? Disposable & AsyncDisposable : unknown) &
  (T extends AsyncIterable<infer Y> ? { [Symbol.iterator](): RemoteIterable<Remote<Y, F>>; [Symbol.asyncIterator](): AsyncGenerator<Remote<Y, F>> } : unknown) &
  (T extends Iterable<infer Y> ? { [Symbol.iterator](): RemoteIterable<Remote<Y, F>>; [Symbol.asyncIterator](): AsyncGenerator<Remote<Y, F>> } : unknown);

/**
 * The blocking view of an object living in the worker: methods block (with `.aio` and `.future`),
 * properties and getters read through (a getter returning a promise reads as its value).
 */
export type Blocking<T, F extends ClassViews = NoViews> = {
  [K in keyof T as K extends symbol ? never : K]: T[K] extends AnyFunction ? Method<T[K], F> : Remote<Awaited<T[K]>, F>;
} & Protocols<T, F>;

/**
 * What a value from the worker becomes in the caller: copied data stays as it is, iterables become
 * iterators living in the worker, functions and objects become proxies, at any depth.
 */
export type Remote<V, F extends ClassViews = NoViews> = V extends Copied
  ? V
  : [ViewOf<V, F>] extends [never]
    ? RemoteValue<V, F>
    : ViewOf<V, F>;

/** Remote, for values that are neither copied as they are nor instances of a class with a generated view. */
type RemoteValue<V, F extends ClassViews> = V extends abstract new (...args: never) => Error
  ? V
  : V extends abstract new (...args: never) => unknown
    ? BlockingClass<V, F> // a class arrives as the caller's class for it (api.getClass() === api.MyClass)
    : V extends AsyncGenerator<infer Y, infer R, infer N>
    ? RemoteIterable<Remote<Y, F>, Remote<R, F>, N>
    : V extends Generator<infer Y, infer R, infer N>
      ? RemoteIterable<Remote<Y, F>, Remote<R, F>, N>
      : V extends ReadableStream<infer Y>
        ? RemoteIterable<Remote<Y, F>, undefined, undefined>
        : V extends AnyFunction
          ? Method<V, F>
          : V extends Map<infer K, infer T>
            ? Map<Remote<K, F>, Remote<T, F>>
            : V extends Set<infer T>
              ? Set<Remote<T, F>>
              : V extends readonly unknown[]
                ? { [I in keyof V]: Remote<V[I], F> }
                : V extends AsyncIterable<infer Y>
                  ? keyof V extends typeof Symbol.asyncIterator
                    ? RemoteIterable<Remote<Y, F>, unknown, undefined>
                    : Blocking<V, F>
                  : V extends object
                    ? Blocking<V, F>
                    : V;

/** What an exported class becomes: `new` builds the object in the worker and returns its blocking view. */
export type BlockingClass<C extends abstract new (...args: never) => unknown, F extends ClassViews = NoViews> = Constructors<C, F> & {
  [K in keyof C as K extends "prototype" ? never : K]: C[K] extends AnyFunction ? Method<C[K], F> : Remote<Awaited<C[K]>, F>;
};

/** The constructor overloads of a class (an abstract class, which the pattern cannot match, keeps its last). */
type Constructors<C extends abstract new (...args: never) => unknown, F extends ClassViews> =
  ConstructorOverloads<C> extends infer L extends OverloadList
    ? L extends []
      ? { new (...args: Arguments<ConstructorParameters<C>, F>): Remote<InstanceType<C>, F> }
      : EachConstructor<L, F>
    : never;
type EachConstructor<L extends OverloadList, F extends ClassViews> = L extends [infer H extends [unknown[], unknown], ...infer T extends OverloadList]
  ? { new (...args: Arguments<H[0], F>): Remote<H[1], F> } & EachConstructor<T, F>
  : unknown;

/** What one export becomes. */
export type Wrapped<T, F extends ClassViews = NoViews> = T extends abstract new (...args: never) => Error
  ? T
  : T extends abstract new (...args: never) => unknown
    ? BlockingClass<T, F>
    : T extends AnyFunction
      ? Method<T, F>
      : Remote<T, F>;

/**
 * The wrapped view of a whole module: `Api<typeof import("./impl.js")>`. A declaration written by
 * `synchronicity-js types` is already wrapped and is returned as it is.
 */
export type Api<M> = M extends GeneratedApi ? M : { readonly [K in keyof M]: Wrapped<M[K]> };
