/**
 * The loop thread's end of the lifeline (see protocol/lifeline.ts): what the supervisor needs to
 * report this thread's death precisely, said before the thread dies, and the supervisor's "go".
 */
import { threadId, type MessagePort } from "node:worker_threads";
import type { SupervisorGo } from "../protocol/lifeline.js";
import { watchHeapLimitRaise } from "./memory-watch.js";
import { BOOT_WATCH_KEY, noticePoster, reportThreadEnd } from "./end-notices.js";

/**
 * Install the hooks that report this thread's end, say hello, and resolve once the supervisor
 * answers "go" (it has told the caller that the worker runs).
 */
export function holdLifeline(port: MessagePort): Promise<void> {
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
  const go = new Promise<void>((resolve) => {
    port.once("message", (_: SupervisorGo) => resolve());
  });
  post({ t: "hello", threadId });
  return go;
}
