/**
 * The two process-wide events a connection must hear about, with one listener each for all
 * synchronizers (many synchronizers must not pile up listeners on `process`):
 *
 * - the number of SIGINT listeners the user installs, which decides what Ctrl-C does (published to
 *   the supervisor through shared memory, since it must decide while this thread is blocked);
 * - process exit, when calls still in flight get a bounded time to run their cleanup.
 */
export interface ProcessClient {
  onSignalListeners(count: number): void;
  onProcessExit(): void;
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
    for (const client of [...clients]) client.onProcessExit();
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
