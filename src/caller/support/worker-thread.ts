/** Whether this thread is a synchronizer's worker, any synchronizer's (worker/loop.ts marks it; see ARCHITECTURE.md). */
export function isWorkerThread(): boolean {
  return (globalThis as Record<symbol, unknown>)[Symbol.for("synchronicity.loopThread")] === true;
}
