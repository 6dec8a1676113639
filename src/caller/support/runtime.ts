/** Whether this is Bun or Deno running Node's APIs, not Node: some of Node's behaviours they lack (preloads in workers, V8's code cache). */
export function onBunOrDeno(): boolean {
  const versions = process.versions as Record<string, string | undefined>;
  return versions["bun"] !== undefined || versions["deno"] !== undefined;
}
