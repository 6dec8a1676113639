// The implementation: Prettier's own async API, loaded once in the worker and kept warm there.
import type { Options } from "prettier";

let prettier: typeof import("prettier") | undefined;

export async function format(source: string, options: Options): Promise<string> {
  prettier ??= await import("prettier");
  return prettier.format(source, options);
}

export async function check(source: string, options: Options): Promise<boolean> {
  prettier ??= await import("prettier");
  return prettier.check(source, options);
}
