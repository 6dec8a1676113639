/**
 * Atomics.waitAsync (Node >= 16), typed here because the project's TypeScript lib predates it.
 * It does not block: it returns at once, either with the value already changed (`async: false`)
 * or with a promise settled by Atomics.notify. A pending wait does not keep a thread alive.
 */
type WaitAsyncResult = { readonly async: false; readonly value: "not-equal" | "timed-out" } | { readonly async: true; readonly value: Promise<"ok" | "timed-out"> };

const atomics = Atomics as unknown as {
  waitAsync(memory: Int32Array, index: number, value: number, timeoutMs?: number): WaitAsyncResult;
};

export function waitAsync(memory: Int32Array, index: number, value: number): WaitAsyncResult {
  return atomics.waitAsync(memory, index, value);
}
