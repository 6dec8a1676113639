/**
 * The two message rings of the shared-memory transport, one per direction (their layout in memory
 * is in ring-layout.ts), and the port beside each.
 *
 * An entry is [int32 byteLength, int32 seq, payload...], 8-byte aligned; byteLength -1 means
 * "wrapped: the next entry is at offset 0". A message that the compact codec refuses, or that
 * does not fit, goes through the MessagePort instead; SENT counts messages of both kinds, and each
 * ring entry carries its sequence number, so the consumer finds message n either at its TAIL (the
 * entry's seq is n) or, if not, as the next message on the port: order is the order of sending.
 * The producer publishes in this order: payload, HEAD, SENT (and a port message is enqueued by
 * postMessage before SENT moves), so a consumer that sees SENT move finds the message.
 */
import type { MessagePort, receiveMessageOnPort } from "node:worker_threads";
import { workerThreads } from "../../builtins.js";
import { oneItemStepReply, type UndeliverableNotice } from "../messages.js";
import { CompactEncoder, NO_ROOM } from "./codec.js";
import { CompactDecoder } from "./decoder.js";
import { HEAD, HEADER_BYTES, RING_BYTES, SENT, TAIL, TO_WORKER } from "./ring-layout.js";

interface RingMemory {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  readonly buffer: Buffer;
}

function ringMemory(buffer: SharedArrayBuffer, ring: number): RingMemory {
  const offset = HEADER_BYTES + (ring === TO_WORKER ? 0 : RING_BYTES);
  return {
    bytes: new Uint8Array(buffer, offset, RING_BYTES),
    view: new DataView(buffer, offset, RING_BYTES),
    buffer: Buffer.from(buffer, offset, RING_BYTES),
  };
}

const align8 = (n: number) => (n + 7) & ~7;

/** What both ends of one ring hold: the header, which ring, its memory, and the port beside it. */
abstract class RingEnd {
  protected readonly memory: RingMemory;
  protected readonly view: DataView;

  constructor(
    protected readonly header: Int32Array,
    buffer: SharedArrayBuffer,
    protected readonly ring: number,
    protected readonly port: MessagePort,
  ) {
    this.memory = ringMemory(buffer, ring);
    this.view = this.memory.view;
  }
}

/**
 * The producer's end: writes messages into the ring, or posts them on the port, and calls
 * `onPublished` after each one is out (the transport then wakes the consumer if it sleeps).
 */
export class RingWriter extends RingEnd {
  constructor(
    header: Int32Array,
    buffer: SharedArrayBuffer,
    ring: number,
    port: MessagePort,
    private readonly onPublished: () => void = () => {},
  ) {
    super(header, buffer, ring, port);
  }

  private readonly encoder = new CompactEncoder(this.memory.bytes, this.memory.view);
  private head = 0;
  private sent = 0;
  /** Messages that took the port (refused by the codec, or no room in the ring). */
  portMessages = 0;

  /**
   * Publish one message. Throws what postMessage throws (a DataCloneError) when the message must
   * take the port and cannot be cloned; nothing was published then.
   */
  write(message: unknown): void {
    if (!this.tryWrite(message)) this.writeToPort(message);
  }

  /** Publish `message` if the codec takes it whole; false, with nothing published, if not. */
  tryWrite(message: unknown): boolean {
    if (!this.writeCompact(message, -1)) return false;
    this.published();
    return true;
  }

  /**
   * Publish `message` through the port without offering it to the codec (which refused it), as
   * structured clone: throws what postMessage throws (nothing was published then).
   */
  writeToPort(message: unknown): void {
    this.port.postMessage(message);
    this.portMessages++;
    this.published();
  }

  /** Publish `oneItemStepReply(id, item)` (messages.ts), in the ring as a STEP frame (format.ts). */
  writeStep(id: number, item: unknown): void {
    if (!this.writeCompact(item, id)) {
      this.port.postMessage(oneItemStepReply(id, item));
      this.portMessages++;
    }
    this.published();
  }

  /** One more message is out (SENT moves after it is in the ring or on the port: see the top). */
  private published(): void {
    this.sent = (this.sent + 1) | 0;
    Atomics.store(this.header, this.ring + SENT, this.sent);
    this.onPublished();
  }

  /** Write `message` into the ring, or with `stepId` >= 0 the item of that one-item step reply. */
  private writeCompact(message: unknown, stepId: number): boolean {
    const head = this.head;
    const tail = Atomics.load(this.header, this.ring + TAIL);
    // One 8-byte gap always separates head from tail, so that head === tail means empty.
    const limit = tail > head ? tail - 8 : tail === 0 ? RING_BYTES - 8 : RING_BYTES;
    let start = head;
    let end = this.encoder.encode(message, head + 8, limit, stepId);
    if (end === NO_ROOM && tail <= head && tail > 0) {
      // Not enough room before the end of the ring: try again from its start.
      start = 0;
      end = this.encoder.encode(message, 8, tail - 8, stepId);
    }
    if (end < 0) return false;
    this.view.setInt32(start, end - start - 8, true);
    this.view.setInt32(start + 4, this.sent, true);
    if (start !== head) this.view.setInt32(head, -1, true);
    const next = align8(end);
    this.head = next === RING_BYTES ? 0 : next;
    Atomics.store(this.header, this.ring + HEAD, this.head);
    return true;
  }
}

/** The consumer's end: reads messages in the order they were sent, from the ring or the port. */
export class RingReader extends RingEnd {
  private readonly decoder = new CompactDecoder(this.memory.bytes, this.memory.view, this.memory.buffer);
  private tail = 0;
  private received = 0;

  /** Whether a message is waiting. */
  get ready(): boolean {
    return Atomics.load(this.header, this.ring + SENT) !== this.received;
  }

  /** The next message, or undefined when none is waiting. */
  read(): unknown {
    if (Atomics.load(this.header, this.ring + SENT) === this.received) return undefined;
    let tail = this.tail;
    if (tail !== Atomics.load(this.header, this.ring + HEAD)) {
      let length = this.view.getInt32(tail, true);
      if (length === -1) {
        tail = 0;
        length = this.view.getInt32(0, true);
      }
      if (this.view.getInt32(tail + 4, true) === this.received) {
        const message = this.decoder.decode(tail + 8);
        const next = align8(tail + 8 + length);
        this.tail = next === RING_BYTES ? 0 : next;
        this.received = (this.received + 1) | 0;
        Atomics.store(this.header, this.ring + TAIL, this.tail);
        return message;
      }
      // The ring's next entry is a later message: this one took the port.
    }
    let posted: ReturnType<typeof receiveMessageOnPort>;
    try {
      posted = workerThreads().receiveMessageOnPort(this.port);
    } catch (error) {
      // A message that cannot be deserialized is consumed all the same: count it, and hand up a
      // notice instead, so that the order of what follows holds and the receiver can tell someone.
      this.received = (this.received + 1) | 0;
      return { t: "undeliverable", error } satisfies UndeliverableNotice;
    }
    if (posted === undefined) {
      // Cannot happen (postMessage enqueues before SENT moves); fail loudly rather than reorder.
      throw new Error("synchronicity: a message announced in shared memory is missing from the port");
    }
    this.received = (this.received + 1) | 0;
    return posted.message;
  }
}
