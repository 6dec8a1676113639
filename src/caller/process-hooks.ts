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

function publishSignalListeners(): void {
  // newListener fires before the listener is added: count once it is there.
  queueMicrotask(() => {
    const count = process.listenerCount("SIGINT");
    for (const client of clients) client.onSignalListeners(count);
  });
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on("newListener", (event) => {
    if (event === "SIGINT") publishSignalListeners();
  });
  process.on("removeListener", (event) => {
    if (event === "SIGINT") publishSignalListeners();
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
