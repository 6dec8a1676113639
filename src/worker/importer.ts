/**
 * How the worker's library imports modules (the implementation's, and tsx's API): with an
 * `import()` lent by the loop thread's entry file (worker/entry.ts), through `runLoop`.
 *
 * The library cannot use `import()` itself: when its code comes from the caller's code cache, it is
 * compiled by `node:vm`, and on Node 20 an `import()` in such code fails
 * (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING) even with an importModuleDynamically option, once its
 * function is compiled from the cache. The entry file is an ordinary CommonJS module, whose
 * `import()` resolves as the library's would (they sit side by side in dist/cjs). The build checks
 * that the library's bundle has no `import()` of its own.
 */
export type Importer = (specifier: string) => Promise<unknown>;

let lent: Importer | undefined;

export function lendImport(importer: Importer): void {
  lent = importer;
}

export function dynamicImport(specifier: string): Promise<unknown> {
  if (lent === undefined) return Promise.reject(new Error("synchronicity-js: the worker's library imports modules only in a loop thread, whose entry lends it import()"));
  return lent(specifier);
}
