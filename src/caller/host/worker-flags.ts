/**
 * The caller's Node flags, minus those that describe the main script rather than how Node runs:
 * `-e`/`--eval` and `-p`/`--print` (with their code), `--input-type`, `-i`, `-c`, `--test`,
 * `--watch`. A worker refuses some of them outright (`--input-type` can only be used with string
 * input), and none of them means anything for a worker that runs a file. Flags a worker refuses
 * for other reasons (V8 and process-wide flags) are dropped by the supervisor, which learns them
 * from Node's own error.
 */

/** Flags that take the next argument as their value when not written `--flag=value`. */
const withValue = new Set(["-e", "--eval", "-p", "--print", "--input-type", "--watch-path"]);
const alone = new Set(["-i", "--interactive", "-c", "--check", "--test", "--watch", "--watch-preserve-output", "--test-only"]);

export function workerFlags(flags: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < flags.length; i++) {
    const flag = flags[i]!;
    const name = flag.startsWith("--") ? flag.split("=")[0]! : flag;
    if (alone.has(name) || (withValue.has(name) && flag.includes("="))) continue;
    if (withValue.has(name)) {
      i++; // its value goes too
      continue;
    }
    kept.push(flag);
  }
  return kept;
}
