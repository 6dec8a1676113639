/**
 * The conditions an ESM `import` in this process matches in a package's "exports" and "imports"
 * (package-resolution.ts): "node", "import", "module-sync" where Node's ESM resolution uses it
 * (require(esm) versions), and the user's --conditions (from execArgv and NODE_OPTIONS); "default"
 * always matches.
 *
 * Apart from package-resolution.ts because it reads the process (its flags, Node's version) and
 * not the file system: the resolver walks package.json files, this says which of their branches
 * apply. Like the resolver, it imports nothing of the library (test/resolution.test.ts transpiles
 * the two files alone).
 */

let cachedConditions: readonly string[] | undefined;

/** The conditions of an ESM import in this process. */
export function importConditions(): readonly string[] {
  if (cachedConditions !== undefined) return cachedConditions;
  const user = userConditions([...(process.env["NODE_OPTIONS"]?.split(/\s+/).filter(Boolean) ?? []), ...process.execArgv]);
  const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
  cachedConditions = ["node", "import", ...(hasModuleSync(major, minor) ? ["module-sync"] : []), ...user];
  return cachedConditions;
}

/** "module-sync" came with require(esm): Node 20.19+, 22.10+, 23+. */
function hasModuleSync(major: number, minor: number): boolean {
  if (major >= 23) return true;
  if (major === 22) return minor >= 10;
  if (major === 20) return minor >= 19;
  return false;
}

function userConditions(flags: readonly string[]): string[] {
  const conditions: string[] = [];
  for (let i = 0; i < flags.length; i++) {
    const flag = flags[i]!;
    const match = /^(?:--conditions|-C)(?:=(.*))?$/.exec(flag);
    if (match === null) continue;
    const value = match[1] ?? flags[++i];
    if (value !== undefined) conditions.push(value);
  }
  return conditions;
}
