/**
 * The first message of the caller -> worker ring carries the wake port: `{ t: WAKE_PORT, port }`.
 * The worker's transport takes it for itself (it is not a protocol message). Both transports then
 * send wake-ups on that channel, each to the other side's sleeping event loop (see the transports).
 */
export const WAKE_PORT = "wake-port";
