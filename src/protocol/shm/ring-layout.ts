/**
 * The layout of the shared-memory transport's memory (the rest is in ring.ts): two
 * single-producer, single-consumer rings of messages, one per direction, in one SharedArrayBuffer,
 * which the caller creates when it starts the worker thread and hands it in workerData. A module
 * of its own, so that starting the thread (caller/host/thread-start.ts) does not load the codec.
 *
 * Layout (Int32 slots of the header, then the two byte rings):
 *
 *   header[0..7]    caller -> worker ring: HEAD, TAIL, SENT, then WORKER_SLEEPING
 *   header[8..15]   worker -> caller ring: HEAD, TAIL, SENT, then CALLER_WAITING, CALLER_ARMED
 *
 * (WORKER_SLEEPING and CALLER_ARMED ask for a wake-up message on the transports' wake port;
 * CALLER_WAITING, for an Atomics.notify on the shared state's SEQ: see the transports.)
 *   bytes 64 ..     the caller -> worker ring (RING_BYTES)
 *   then            the worker -> caller ring (RING_BYTES)
 *
 * Who writes what: HEAD and SENT by the ring's producer, TAIL by its consumer; the flags by the
 * side that sleeps (set) and, for CALLER_ARMED, the worker (cleared when it wakes the caller).
 */

export const HEADER_BYTES = 64;
/** Bytes per direction. 1,000 small async calls in flight take about 40 KB. */
export const RING_BYTES = 256 * 1024;

export const HEAD = 0;
export const TAIL = 1;
export const SENT = 2;
export const TO_WORKER = 0;
export const TO_CALLER = 8;
/** In the TO_WORKER block: the worker is about to sleep (or sleeps) until a wake-up message on the wake port. */
export const WORKER_SLEEPING = TO_WORKER + 3;
/** In the TO_CALLER block: the caller is (about to be) blocked in Atomics.wait. */
export const CALLER_WAITING = TO_CALLER + 3;
/** In the TO_CALLER block: the caller's event loop is idle and wants a wake-up message for what arrives. */
export const CALLER_ARMED = TO_CALLER + 4;

export function createRings(): SharedArrayBuffer {
  return new SharedArrayBuffer(HEADER_BYTES + 2 * RING_BYTES);
}

export function ringHeader(buffer: SharedArrayBuffer): Int32Array {
  return new Int32Array(buffer, 0, HEADER_BYTES / 4);
}
