/**
 * The loop thread's end of the lifeline (see protocol/lifeline.ts): what the supervisor needs to
 * report this thread's death precisely, said before the thread dies.
 */
import { threadId, type MessagePort } from "node:worker_threads";
import { STATE, WorkerState, wakeCaller } from "../protocol/shared-state.js";
import { watchHeapLimitRaise } from "./memory-watch.js";
import { BOOT_WATCH_KEY, noticePoster, reportThreadEnd } from "./end-notices.js";

/**
 * Install the hooks that report this thread's end, mark the worker Running in the shared state
 * (waking a blocked caller), and say hello to the supervisor (which may not have started yet: the
 * message waits on the port).
 */
export function holdLifeline(port: MessagePort, shared: Int32Array): void {
  const post = noticePoster(port);
  // The hooks boot-watch.ts installed ahead of the user's preloads, if it did, give way to these.
  const globals = globalThis as Record<symbol, unknown>;
  (globals[BOOT_WATCH_KEY] as (() => void) | undefined)?.();
  delete globals[BOOT_WATCH_KEY];
  reportThreadEnd(port);
  // Deno may stop a call's code at the heap limit yet leave this thread running (memory-watch.ts):
  // then end the thread, as Node would have, saying why first.
  watchHeapLimitRaise(() => {
    post({ t: "oom" });
    process.exit(1);
  });
  // Only the supervisor writes Exited, and never before it has read this thread's hello.
  Atomics.compareExchange(shared, STATE, WorkerState.Starting, WorkerState.Running);
  // A blocked caller starts the supervisor after a silence of this thread's, counted once it has
  // booted (caller/host/worker-host.ts): waking it now restarts its count. A bare wake-up, not a
  // message: it costs the boot no encoding (a message's first encoding took 0.3 ms here).
  wakeCaller(shared);
  post({ t: "hello", threadId });
}
