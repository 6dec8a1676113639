/**
 * `--watch`: regenerate when the implementation or any file it imports changes. Watches the
 * directories of those files (watching a file itself misses editors that save by renaming) and
 * waits for a quiet moment, since one save often fires several events.
 */
import { watch as watchDirectory, type FSWatcher } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

const settleMs = 100;

/**
 * `regenerate` returns the files the generation read, or undefined when it failed (then the
 * previous files stay watched, with the implementation files themselves always among them).
 */
export function watch(roots: readonly string[], regenerate: () => string[] | undefined): void {
  const always = roots.map((root) => resolve(root));
  let inputs = new Set(always);
  const watchers = new Map<string, FSWatcher>();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const run = () => {
    const read = regenerate();
    if (read !== undefined) inputs = new Set([...always, ...read]);
    const directories = new Set([...inputs].map((file) => dirname(file)));
    for (const [directory, watcher] of watchers) {
      if (directories.has(directory)) continue;
      watcher.close();
      watchers.delete(directory);
    }
    for (const directory of directories) {
      if (watchers.has(directory)) continue;
      const watcher = watchDirectory(directory, (_event, name) => {
        if (name !== null && !inputs.has(join(directory, basename(name.toString())))) return;
        clearTimeout(timer);
        timer = setTimeout(run, settleMs);
      });
      watchers.set(directory, watcher);
    }
    process.stdout.write(`watching ${inputs.size} file${inputs.size === 1 ? "" : "s"} for changes\n`);
  };
  run();
}
