// Synchronous module hooks (`module.registerHooks`, Node 22.15+) whose work is async: `remote:`
// specifiers are resolved through an import map fetched from a server, and their source is fetched
// too. Hooks registered this way must answer synchronously; the fetches block through the worker.
import * as nodeModule from "node:module";
import { fetchJsonSync, fetchTextSync } from "../fetch/fetch-sync.js";

// The shape of `module.registerHooks` (Node 22.15+), which @types/node 20 does not declare yet.
interface ResolveResult { url: string; format?: string; shortCircuit?: boolean }
interface LoadResult { format: string; source?: string | Uint8Array; shortCircuit?: boolean }
interface SyncHooks {
  resolve(specifier: string, context: object, nextResolve: (specifier: string, context: object) => ResolveResult): ResolveResult;
  load(url: string, context: object, nextLoad: (url: string, context: object) => LoadResult): LoadResult;
}
const { registerHooks } = nodeModule as unknown as { registerHooks: (hooks: SyncHooks) => { deregister(): void } };

export function registerRemoteImports(server: string): { deregister(): void } {
  let importMap: Record<string, string> | undefined;
  return registerHooks({
    resolve(specifier, context, nextResolve) {
      if (!specifier.startsWith("remote:")) return nextResolve(specifier, context);
      importMap ??= (fetchJsonSync(`${server}/import-map.json`) as { imports: Record<string, string> }).imports; // blocking, once
      const path = importMap[specifier];
      if (!path) throw new Error(`${specifier} is not in ${server}/import-map.json`);
      return { url: new URL(path, server).href, format: "module", shortCircuit: true };
    },
    load(url, context, nextLoad) {
      if (!url.startsWith(server)) return nextLoad(url, context);
      const response = fetchTextSync(url); // blocking
      if (response.status !== 200) throw new Error(`GET ${url}: ${response.status}`);
      return { format: "module", source: response.body, shortCircuit: true };
    },
  });
}
