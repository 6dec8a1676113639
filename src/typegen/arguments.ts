/** The command line of `synchronicity-js types`: parsed and checked, with a usage text for mistakes. */
export const usage = `usage: synchronicity-js types [--out-dir <dir>] [--project <tsconfig.json>] [--check | --watch] <implementation files...>

Writes, beside each implementation x.ts, x.api.d.ts: the wrapped view of the module with its
generics and overloads, for synchronizer.wrapModule<import("./x.api.js").Api>(url).

  --out-dir <dir>    write the declarations into <dir> instead
  --project <file>   the tsconfig.json to compile with (default: the nearest one)
  --check            write nothing; exit 1 naming each declaration that is missing or stale
  --watch            regenerate whenever the implementation (or a file it imports) changes`;

export interface TypesCommand {
  readonly files: string[];
  readonly outDir?: string;
  readonly project?: string;
  readonly mode: "write" | "check" | "watch";
}

/** A mistake on the command line: reported with the usage text, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

export function parseArguments(argv: readonly string[]): TypesCommand {
  const [command, ...rest] = argv;
  if (command !== "types") throw new UsageError(command === undefined ? "no command given" : `unknown command ${JSON.stringify(command)}`);
  const files: string[] = [];
  let outDir: string | undefined;
  let project: string | undefined;
  let mode: TypesCommand["mode"] = "write";
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const value = () => {
      const next = rest[++i];
      if (next === undefined || next.startsWith("--")) throw new UsageError(`${arg} needs a value`);
      return next;
    };
    if (arg === "--out-dir") outDir = value();
    else if (arg === "--project" || arg === "-p") project = value();
    else if (arg === "--check" || arg === "--watch") {
      const wanted = arg === "--check" ? "check" : "watch";
      if (mode !== "write" && mode !== wanted) throw new UsageError("--check and --watch do not go together");
      mode = wanted;
    } else if (arg.startsWith("-")) throw new UsageError(`unknown option ${arg}`);
    else files.push(arg);
  }
  if (files.length === 0) throw new UsageError("no implementation files given");
  return { files, outDir, project, mode };
}
