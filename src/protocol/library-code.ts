/**
 * The worker's library, compiled for the loop thread by the caller while the thread boots.
 *
 * A loop thread cannot read its first request before it has loaded the worker's library
 * (dist/cjs/worker-lib.js), and compiling its 120 KB is most of that load (about 2.5 ms, every
 * start). The caller has nothing to do during the 18 to 25 ms the thread takes to boot, so it
 * compiles the library itself and hands the thread V8's code cache with the source it was made
 * from; the thread then compiles with the cache in a fraction of the time
 * (caller/host/library-cache.ts makes it, worker/entry.ts uses it).
 *
 * They meet in a SharedArrayBuffer, given to the thread in its workerData before it starts, because
 * the cache of the process's first thread is made after the start, while that thread boots:
 *
 *   Int32 0  READY         0 until the caller has written everything below, then 1 (Atomics.store):
 *                          the thread looks once, at its entry, and compiles as usual when it is 0
 *   Int32 1  SOURCE_BYTES  length of the source, UTF-8: the library wrapped as the function both
 *                          threads compile (wrapLibrary)
 *   Int32 2  CACHE_BYTES   length of the code cache
 *   from byte 16           the source, then the cache
 *
 * The thread compiles the source it finds here, not the file: V8 checks a cache against the
 * length of its source only, so a file replaced in between (an upgrade of the package) must not
 * meet the cache of its old text. (It is written wrapped, so that the thread makes no copy of it.)
 */

const READY = 0;
const SOURCE_BYTES = 1;
const CACHE_BYTES = 2;
const HEADER_BYTES = 16;

/**
 * Room for a source and its cache not made yet: 1 MiB, four times what the library needs (only the
 * pages written are ever touched).
 */
const UNKNOWN_PAYLOAD = 1 << 20;

/** A buffer for `payloadBytes` of source and cache, or for ones not made yet. */
export function createLibraryCodeBuffer(payloadBytes = UNKNOWN_PAYLOAD): SharedArrayBuffer {
  return new SharedArrayBuffer(HEADER_BYTES + payloadBytes);
}

/** Write the wrapped source and its cache, then mark them ready. False (nothing written) if they do not fit. */
export function writeLibraryCode(buffer: SharedArrayBuffer, source: Uint8Array, cache: Uint8Array): boolean {
  if (HEADER_BYTES + source.byteLength + cache.byteLength > buffer.byteLength) return false;
  const bytes = new Uint8Array(buffer);
  bytes.set(source, HEADER_BYTES);
  bytes.set(cache, HEADER_BYTES + source.byteLength);
  const header = new Int32Array(buffer, 0, HEADER_BYTES / 4);
  header[SOURCE_BYTES] = source.byteLength;
  header[CACHE_BYTES] = cache.byteLength;
  // Last, and with a barrier: a thread that sees READY sees every byte written before it.
  Atomics.store(header, READY, 1);
  return true;
}

/** The wrapped source and its cache, or undefined when the caller has not written them (yet). */
export function readLibraryCode(buffer: SharedArrayBuffer): { source: string; cache: Buffer } | undefined {
  const header = new Int32Array(buffer, 0, HEADER_BYTES / 4);
  if (Atomics.load(header, READY) !== 1) return undefined;
  const sourceBytes = header[SOURCE_BYTES]!;
  const cacheBytes = header[CACHE_BYTES]!;
  return {
    source: Buffer.from(buffer, HEADER_BYTES, sourceBytes).toString("utf8"),
    // V8 reads the cache while it compiles, and keeps nothing of it.
    cache: Buffer.from(buffer, HEADER_BYTES + sourceBytes, cacheBytes),
  };
}

/**
 * The library's source as the function the caller compiles, and writes here for the thread to
 * compile: the wrapper Node puts around a CommonJS file, on the source's first line so that line
 * numbers stay the file's. The two must compile the very same text for the cache to be accepted.
 */
export function wrapLibrary(source: string): string {
  return `(function (exports, require, module, __filename, __dirname) { ${source}\n})`;
}
