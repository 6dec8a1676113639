/**
 * The two process-wide events a connection must hear about, with one listener each for all
 * synchronizers (many synchronizers must not pile up listeners on `process`):
 *
 * - the number of SIGINT listeners the user installs, which decides what Ctrl-C does (published to
 *   the supervisor through shared memory, since it must decide while this thread is blocked);
 * - process exit, when calls still in flight get a bounded time to run their cleanup (one wait
 *   for all synchronizers together).
 */
export interface ProcessClient {
  onSignalListeners(count: number): void;
  /** Start the cleanup at exit; returns the wait for it (false: a second Ctrl-C cut it short). */
  onProcessExit(): (() => boolean) | undefined;
}

const clients = new Set<ProcessClient>();
let installed = false;

/** Published at once (not later): a blocking call may follow the listener's registration directly. */
function publishSignalListeners(count: number): void {
  for (const client of clients) client.onSignalListeners(count);
}

function install(): void {
  if (installed) return;
  installed = true;
  // newListener fires before the listener is added, removeListener after it is removed.
  process.on("newListener", (event) => {
    if (event === "SIGINT") publishSignalListeners(process.listenerCount("SIGINT") + 1);
  });
  process.on("removeListener", (event) => {
    if (event === "SIGINT") publishSignalListeners(process.listenerCount("SIGINT"));
  });
  process.on("exit", () => {
    // Every synchronizer's cleanup starts first and runs in parallel, so the process waits at most
    // one shutdownTimeout in all; a second Ctrl-C ends the whole wait.
    const waits = [...clients].map((client) => client.onProcessExit());
    for (const wait of waits) if (wait !== undefined && !wait()) break;
  });
}

export function attach(client: ProcessClient): void {
  install();
  clients.add(client);
  client.onSignalListeners(process.listenerCount("SIGINT"));
}

export function detach(client: ProcessClient): void {
  clients.delete(client);
}
