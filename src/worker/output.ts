/**
 * Worker output goes straight to the process's file descriptors.
 *
 * By default a worker's stdout/stderr are streams forwarded to the main thread and written by the
 * main thread's event loop. While the caller blocks in a call, that loop is frozen, so output
 * would stall until the call returns, and output of a call made just before the process exits
 * would be lost. Writing synchronously to fd 1/2 from the worker keeps lines in order with the
 * caller's own (synchronous on Linux for files, pipes and terminals) and never loses them.
 *
 * So the caller does not have Node forward the loop thread's streams at all (stdout and stderr:
 * true, caller/host/loop-thread.ts), and this must be in place before anything in the thread can
 * write: the thread's entry installs it first (entry.ts), and boot-watch.ts does, ahead of the
 * user's preloads, when there are some.
 */
import { writeSync } from "node:fs";

const EAGAIN_PAUSE_MS = 1;
const pause = new Int32Array(new SharedArrayBuffer(4));

function writeAll(fd: number, chunk: string | Uint8Array, encoding?: BufferEncoding): void {
  let bytes = typeof chunk === "string" ? Buffer.from(chunk, encoding) : chunk;
  while (bytes.length > 0) {
    try {
      const written = writeSync(fd, bytes);
      bytes = bytes.subarray(written);
    } catch (error) {
      // A non-blocking pipe that is full: wait for the reader rather than drop output.
      if ((error as NodeJS.ErrnoException).code !== "EAGAIN") throw error;
      Atomics.wait(pause, 0, 0, EAGAIN_PAUSE_MS);
    }
  }
}

type WriteCallback = (error?: Error | null) => void;

function directWrite(fd: number) {
  return function write(chunk: string | Uint8Array, encodingOrCallback?: BufferEncoding | WriteCallback, callback?: WriteCallback): boolean {
    const encoding = typeof encodingOrCallback === "string" ? encodingOrCallback : undefined;
    const done = typeof encodingOrCallback === "function" ? encodingOrCallback : callback;
    try {
      writeAll(fd, chunk, encoding);
    } catch (error) {
      if (done) process.nextTick(done, error as Error);
      return false;
    }
    if (done) process.nextTick(done, null);
    return true;
  };
}

/** Route this worker's process.stdout/stderr (and with them console.*) to fd 1 and 2 directly. */
export function writeOutputDirectly(): void {
  (process.stdout as unknown as { write: unknown }).write = directWrite(1);
  (process.stderr as unknown as { write: unknown }).write = directWrite(2);
}
