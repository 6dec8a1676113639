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

/**
 * SIGINTs this thread has handled: delivered to the user's listeners (counted by a listener of
 * ours, present only while the user has some, so that it never changes what Ctrl-C does), or
 * taken as the interrupt that ends the process. caller/shutdown.ts compares it with the SIGINTs a
 * supervisor received, to tell a second Ctrl-C from the first one seen late by the supervisor.
 */
let handledSignals = 0;
let counting = false;
const countSignal = (): void => {
  handledSignals++;
};

export function signalsHandled(): number {
  return handledSignals;
}

export function noteSignalHandled(): void {
  handledSignals++;
}

/** The user's SIGINT listeners (ours aside). */
export function userSignalListeners(): number {
  return process.listenerCount("SIGINT") - (counting ? 1 : 0);
}

/** Published at once (not later): a blocking call may follow the listener's registration directly. */
function publishSignalListeners(count: number): void {
  for (const client of clients) client.onSignalListeners(count);
}

function install(): void {
  if (installed) return;
  installed = true;
  // newListener fires before the listener is added, removeListener after it is removed.
  process.on("newListener", (event, listener) => {
    if (event !== "SIGINT" || listener === countSignal) return;
    publishSignalListeners(userSignalListeners() + 1);
    if (!counting) {
      counting = true;
      process.prependListener("SIGINT", countSignal);
    }
  });
  process.on("removeListener", (event, listener) => {
    if (event !== "SIGINT") return;
    if (listener === countSignal) {
      counting = false;
      return;
    }
    const count = userSignalListeners();
    publishSignalListeners(count);
    if (count === 0 && counting) process.removeListener("SIGINT", countSignal);
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
  client.onSignalListeners(userSignalListeners());
}

export function detach(client: ProcessClient): void {
  clients.delete(client);
}
