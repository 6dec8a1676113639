/**
 * Descriptions of what lives in the worker, sent once so that the caller can build proxies with the
 * right forms (a blocking function, a generator, a class with getters...) without asking again.
 */

/** How a function behaves, read from the implementation (its constructor: AsyncFunction, ...). */
export type FunctionKind = "sync" | "async" | "generator" | "async-generator";

export type MemberKind =
  | FunctionKind
  /** An accessor with a getter (and possibly a setter). */
  | "getter"
  /** An accessor with only a setter. */
  | "setter"
  /** A data property found on the prototype (rare: not a method). */
  | "value";

export interface ClassShape {
  /** Class id, allocated by the worker; valid for this worker's lifetime. */
  readonly id: number;
  readonly name: string;
  /** Class id of the parent class when the parent is itself described, else null. */
  readonly base: number | null;
  /** For error classes: the built-in error class the chain reaches ("Error", "TypeError", ...). */
  readonly error: string | null;
  /** Members on the prototype chain up to (not including) `base`: name -> kind. */
  readonly members: Readonly<Record<string, MemberKind>>;
  /** Static members up to `base`. */
  readonly statics: Readonly<Record<string, MemberKind>>;
  /** Well-known symbol protocols the instances implement: "asyncIterator", "iterator", "asyncDispose", "dispose". */
  readonly protocols: readonly string[];
}

export type ExportShape =
  | { readonly kind: "function"; readonly fn: FunctionKind }
  | { readonly kind: "class"; readonly cls: number }
  /** Anything else: sent as a value (encoded; objects may be handles). */
  | { readonly kind: "value"; readonly value: unknown }
  /** A constant that cannot be copied (a Symbol, ...): reading it throws a DataCloneError with this message. */
  | { readonly kind: "uncopyable"; readonly message: string };

export interface ModuleShape {
  /** The module's URL as the worker resolved it. */
  readonly url: string;
  readonly exports: Readonly<Record<string, ExportShape>>;
}
