/**
 * What every part of the declaration generator shares while it writes one file: the compiler API,
 * the implementation's declaration file (the input), how to rebase module specifiers, and the
 * names already taken.
 */
import type ts from "typescript";

export type TypeScript = typeof ts;

/** A failure the user must fix (a compile error in the implementation, a bad path): reported without a stack. */
export class TypegenError extends Error {
  override name = "TypegenError";
}

export interface EmitContext {
  readonly ts: TypeScript;
  /** The implementation's own declaration file, as TypeScript's declaration emit wrote it. */
  readonly dts: ts.SourceFile;
  /** A relative specifier of the implementation, made relative to the output file instead. */
  readonly rebase: (specifier: string) => string;
  /** Names of the generated helper declarations, so that two never clash. */
  readonly names: NameAllocator;
  /** Helper declarations (interfaces and types) written so far, in order. */
  readonly helpers: string[];
}

/**
 * Generated names start with `$`, which implementation code seldom uses for types; a name the
 * implementation declares itself, or one already generated, gets a numbered suffix.
 */
export class NameAllocator {
  readonly #taken: Set<string>;

  constructor(taken: Iterable<string>) {
    this.#taken = new Set(taken);
  }

  /** A fresh name from parts (`["Store", "get"]` -> `$Store$get`). */
  allocate(...parts: string[]): string {
    const base = "$" + parts.map((part) => part.replace(/[^A-Za-z0-9_$]/g, "_")).join("$");
    let name = base;
    for (let n = 2; this.#taken.has(name); n++) name = `${base}${n}`;
    this.#taken.add(name);
    return name;
  }

  /** Reserve a fixed name; fails if the implementation already declares it. */
  reserve(name: string): string {
    if (this.#taken.has(name)) throw new Error(`the implementation declares ${name}, a name the generated declaration needs`);
    this.#taken.add(name);
    return name;
  }
}
