/**
 * Room on this thread's stack for one more blocking call.
 *
 * Blocking calls nest: a callback that runs while its thread is blocked may make a blocking call
 * of its own, whose callback may make another, and so on. Every level keeps its frames on the one
 * stack of the thread, so the depth is bounded by the stack size (about 600 levels fit on Node's
 * default main-thread stack). Overflowing it in the middle of the receive loop would throw a raw
 * RangeError from wherever it happened (possibly between reading a reply and settling its call);
 * instead, deep in a nest, a blocking call first checks that there is room for another level and
 * for an error to travel back up through all of them, and is refused, before anything is sent,
 * with an error that names the depth (about 500 levels, by default).
 */
import { isStackOverflow } from "../../protocol/describe.js";

/** Blocking waits this thread is inside right now, all synchronizers together. */
let depth = 0;

/** Shallower nests never come near the limit; checking costs a few microseconds, so it starts here. */
const CHECK_FROM_DEPTH = 32;
/** Frames of `probe` that must fit (about 100 KB): room for one more level, and for an error to travel back up through every level. */
const PROBE_FRAMES = 2_000;

function probe(frames: number, a: number, b: number, c: number): number {
  return frames === 0 ? a + b + c : probe(frames - 1, b, c, a) + 1;
}

/** Throws a RangeError naming the depth when a blocking call made now could overflow the stack. */
export function checkStackRoom(): void {
  if (depth < CHECK_FROM_DEPTH) return;
  try {
    probe(PROBE_FRAMES, 1, 2, 3);
  } catch (error) {
    if (!isStackOverflow(error)) throw error;
    throw new RangeError(
      `a blocking call nested ${depth} deep (callbacks that make blocking calls, each waiting for the next) would overflow this thread's stack; ` +
        "it was not sent. The limit depends on the stack size (about 500 levels on the main thread by default; node --stack-size raises it); the .aio form has no such limit",
      { cause: error },
    );
  }
}

/** A blocking wait begins (calls are paired with `leaveWait` in a finally; no frame of its own, since every frame counts here). */
export function enterWait(): void {
  depth++;
}

export function leaveWait(): void {
  depth--;
}
