/**
 * Which runtime this is, and what works differently on it: reported by `diagnostics()` so that a
 * feature that degrades (instead of failing) is never a silent surprise. README's "Other runtimes"
 * says the same for people.
 */
export function currentRuntime(): string {
  const versions = process.versions as Record<string, string | undefined>;
  if (versions["bun"] !== undefined) return `bun ${versions["bun"]}`;
  if (versions["deno"] !== undefined) return `deno ${versions["deno"]}`;
  return `node ${process.versions.node}`;
}

/**
 * @param signals how Ctrl-C reaches a blocked caller (undefined before the worker ran)
 * @param resourceLimits whether the synchronizer was given the resourceLimits option
 */
export function runtimeNotes(signals: string | undefined, resourceLimits = false): string[] {
  const notes: string[] = [];
  const runtime = currentRuntime();
  // Measured (scripts/test-runtimes.sh leaves the out-of-memory test out on Bun for this reason).
  // Deno enforces them, and a worker's death by them is reported as on Node (worker/memory-watch.ts).
  if (resourceLimits && runtime.startsWith("bun ")) {
    notes.push(`resourceLimits are not enforced on ${runtime} (plain Bun ignores them): the worker grows without limit`);
  }
  if (signals !== "none") return notes;
  if (runtime.startsWith("bun ")) {
    // Measured: a SIGINT that arrives while Bun's main thread waits in Atomics.wait is not acted on,
    // and no worker can listen for it. That is plain Bun's behaviour with any blocking wait.
    notes.push(
      `Ctrl-C during a blocking call is not seen until the call returns, as with any blocking wait on ${runtime}: ` +
        `it delivers SIGINT only to the main thread's event loop, which the call holds (give such calls a timeout, or use .aio)`,
    );
  } else {
    const remedy = runtime.startsWith("node ") ? " (install synchronicity-js-signals to get it)" : "";
    notes.push(
      `Ctrl-C during a blocking call ends the process at once without the call's cleanup, as plain ${runtime.split(" ")[0]} does: ` +
        `${runtime} offers no way to watch SIGINT from a worker thread${remedy}`,
    );
  }
  return notes;
}
