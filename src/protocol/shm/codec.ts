/**
 * The compact codec of the shared-memory transport: messages made only of common values
 * (undefined, null, booleans, numbers, strings, dense plain arrays, plain objects) are written
 * straight into a ring buffer, byte by byte, with no intermediate copy.
 *
 * It must give exactly what structured clone would give, or refuse: anything it is not sure about
 * (a Proxy, a Date, a typed array, a shared reference, an array with holes or extra properties, a
 * `__proto__` key, a long string, a deep tree, a BigInt) makes `encode` return UNSUPPORTED, and
 * the transport posts the message through the port instead (structured clone, which also throws
 * the DataCloneErrors callers expect). Refusing is always correct; accepting must be exact. It
 * must also refuse whatever the senders' scan for markers would change (values.ts): they offer
 * plain data here before scanning it (postCompact in transport.ts).
 *
 * The format (tags, frames, the protocol's known strings) is in format.ts, shared with the
 * reading side (decoder.ts).
 */
import { types } from "node:util";
import { KNOWN_STRINGS, MAX_SHAPES, Tag } from "./format.js";

const { isProxy } = types;
const { getPrototypeOf, keys: ownKeys } = Object;

/** How many of the latest key lists an object is compared with, besides the last one used. */
const RECENT_SHAPES = 4;

const isInt32 = (n: unknown): n is number => typeof n === "number" && (n | 0) === n;

/** How many own enumerable keys a message object has (messages are plain objects the library built). */
function keyCount(object: object): number {
  let count = 0;
  for (const key in object) if (Object.prototype.hasOwnProperty.call(object, key)) count++;
  return count;
}

/**
 * Whether a plain object is more than its fields to the sender: an iterable (the sender lends it),
 * or an object that names itself with Symbol.toStringTag (an "Error" tag makes it an error to the
 * sender). Senders offer a message to this codec before they scan it for such values (values.ts),
 * so the codec refuses these and leaves them to the scan. Everything else it refuses is a function,
 * a Proxy or an object of another prototype, which the scan checks too.
 */
function claimsMore(object: object): boolean {
  const symbols = object as Record<symbol, unknown>;
  return symbols[Symbol.iterator] !== undefined || symbols[Symbol.asyncIterator] !== undefined || symbols[Symbol.toStringTag] !== undefined;
}

/** `encode` results below zero. */
export const UNSUPPORTED = -1;
/** The value is fine but does not fit between `start` and `limit`. */
export const NO_ROOM = -2;

/** Strings longer than this go through the port: structured clone copies them faster than a JS loop. */
const MAX_INLINE_STRING = 4096;
/** Deeper values go through the port (structured clone has no small recursion limit). */
const MAX_DEPTH = 32;
/**
 * This codec is JavaScript: until V8 has optimized it, it is about twice as slow as structured
 * clone, which is native. Until an encoder has written WARM_OBJECTS objects and arrays in all, a
 * message holding more than COLD_MESSAGE_OBJECTS of them takes the port. (The objects visited before
 * it is refused count too: a thread that sends only large values warms up all the same.)
 */
const WARM_OBJECTS = 8192;
const COLD_MESSAGE_OBJECTS = 256;
const KNOWN_INDEX = new Map<string, number>(KNOWN_STRINGS.map((s, i) => [s, i]));

export class CompactEncoder {
  private pos = 0;
  private limit = 0;
  private failure = 0;
  /** Objects already written in this message: a second sighting (shared or cyclic) is refused. */
  private readonly seen = new Set<object>();
  /** The key lists of the objects written in full in this message, numbered as SAME_KEYS refers to them. */
  private readonly shapes: string[][] = [];
  /** The key list the last object used (rows repeat one): compared first. */
  private lastShape = -1;
  /** Objects and arrays in this message so far, how many it may hold, and how many were written in all. */
  private objects = 0;
  private objectBudget = COLD_MESSAGE_OBJECTS;
  private objectsWritten = 0;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly view: DataView,
  ) {}

  /**
   * Write `value` at `start`, using no byte at or past `limit`. Returns the end offset, UNSUPPORTED
   * or NO_ROOM. With `stepId` >= 0, `value` is the item of the one-item step reply with that id
   * (a STEP frame: RingWriter.writeStep).
   */
  encode(value: unknown, start: number, limit: number, stepId = -1): number {
    this.pos = start;
    this.limit = limit;
    this.failure = 0;
    // (Setting an array's length costs more than testing it; most messages hold no object.)
    if (this.shapes.length !== 0) this.shapes.length = 0;
    this.lastShape = -1;
    this.objects = 0;
    let ok: boolean;
    try {
      ok = stepId < 0 ? this.message(value) : this.frame(Tag.Step, stepId) && this.value(value, 2);
    } catch {
      // A getter threw, or a stack overflow: let structured clone meet the same value and report it.
      ok = false;
      this.failure = UNSUPPORTED;
    } finally {
      // (Clearing a Set allocates its table anew; most messages hold no object.)
      if (this.seen.size !== 0) this.seen.clear();
      this.objectsWritten += this.objects;
      if (this.objectsWritten >= WARM_OBJECTS) this.objectBudget = Infinity;
    }
    return ok ? this.pos : this.failure;
  }

  /** A whole message: one of the frames when it has exactly a frame's fields, else the generic value. */
  private message(value: unknown): boolean {
    if (typeof value !== "object" || value === null || getPrototypeOf(value) !== Object.prototype) return this.value(value, 0);
    const message = value as Record<string, unknown>;
    if (!isInt32(message["id"])) return this.value(value, 0);
    if (message["t"] === "res") {
      if (message["ok"] === true && "value" in message && keyCount(message) === 4) return this.frame(Tag.Reply, message["id"]) && this.value(message["value"], 1);
    } else if (message["op"] === "call") {
      const target = message["target"] as Record<string, unknown>;
      if (keyCount(message) === 5 && Array.isArray(message["args"]) && typeof target["name"] === "string" && keyCount(target) === 2) {
        if (isInt32(target["module"])) return this.frame(Tag.CallModule, message["id"], target["module"]) && this.string(target["name"]) && this.argumentList(message["args"] as unknown[]);
        if (isInt32(target["handle"])) return this.frame(Tag.CallHandle, message["id"], target["handle"]) && this.string(target["name"]) && this.argumentList(message["args"] as unknown[]);
      }
    } else if (message["op"] === "iter") {
      const readAhead = message["readAhead"];
      const count = keyCount(message);
      if (isInt32(message["iterator"]) && "value" in message && (count === 6 || (count === 7 && isInt32(readAhead)))) {
        return (
          this.frame(Tag.Iter, message["id"], message["iterator"]) &&
          this.value(message["how"], 1) &&
          this.value(message["value"], 1) &&
          (count === 7 ? this.number(readAhead as number) : this.tag(Tag.AbsentField))
        );
      }
    }
    return this.value(value, 0);
  }

  /** A frame's tag and its int32 fields. */
  private frame(tag: Tag, first: number, second?: number): boolean {
    const size = second === undefined ? 5 : 9;
    if (!this.room(size)) return false;
    this.bytes[this.pos] = tag;
    this.view.setInt32(this.pos + 1, first, true);
    if (second !== undefined) this.view.setInt32(this.pos + 5, second, true);
    this.pos += size;
    return true;
  }

  private room(n: number): boolean {
    if (this.pos + n <= this.limit) return true;
    this.failure = NO_ROOM;
    return false;
  }

  private refuse(): false {
    this.failure = UNSUPPORTED;
    return false;
  }

  private tag(tag: Tag): boolean {
    if (!this.room(1)) return false;
    this.bytes[this.pos++] = tag;
    return true;
  }

  private value(value: unknown, depth: number): boolean {
    switch (typeof value) {
      case "number":
        return this.number(value);
      case "string":
        return this.string(value);
      case "boolean":
        return this.tag(value ? Tag.True : Tag.False);
      case "undefined":
        return this.tag(Tag.Undefined);
      case "object":
        if (value === null) return this.tag(Tag.Null);
        if (depth >= MAX_DEPTH || ++this.objects > this.objectBudget || this.seen.has(value) || isProxy(value)) return this.refuse();
        this.seen.add(value);
        if (Array.isArray(value)) return this.array(value, depth);
        if (getPrototypeOf(value) === Object.prototype && !claimsMore(value)) return this.object(value as Record<string, unknown>, depth);
        return this.refuse();
      default:
        return this.refuse(); // bigint, symbol, function
    }
  }

  private number(n: number): boolean {
    if ((n | 0) === n && (n !== 0 || 1 / n > 0)) {
      if (!this.room(5)) return false;
      this.bytes[this.pos] = Tag.Int32;
      this.view.setInt32(this.pos + 1, n, true);
      this.pos += 5;
      return true;
    }
    if (!this.room(9)) return false;
    this.bytes[this.pos] = Tag.Float64;
    this.view.setFloat64(this.pos + 1, n, true);
    this.pos += 9;
    return true;
  }

  private string(s: string): boolean {
    const known = KNOWN_INDEX.get(s);
    if (known !== undefined) {
      if (!this.room(2)) return false;
      this.bytes[this.pos] = Tag.Known;
      this.bytes[this.pos + 1] = known;
      this.pos += 2;
      return true;
    }
    const length = s.length;
    if (length > MAX_INLINE_STRING) return this.refuse();
    if (!this.room(5 + length)) return false;
    const bytes = this.bytes;
    const first = this.pos + 5;
    let i = 0;
    for (; i < length; i++) {
      const code = s.charCodeAt(i);
      if (code > 0xff) break;
      bytes[first + i] = code;
    }
    if (i === length) {
      bytes[this.pos] = Tag.Latin1;
      this.view.setUint32(this.pos + 1, length, true);
      this.pos = first + length;
      return true;
    }
    // A char above 0xff: two bytes per char, code units as they are (lone surrogates included).
    if (!this.room(5 + 2 * length)) return false;
    bytes[this.pos] = Tag.Utf16;
    this.view.setUint32(this.pos + 1, length, true);
    for (let j = 0; j < length; j++) this.view.setUint16(first + 2 * j, s.charCodeAt(j), true);
    this.pos = first + 2 * length;
    return true;
  }

  /**
   * A call's argument list: an array the library made (a proxy's rest parameter, or its encoded
   * copy), so without the own-keys check of `array` (the costliest part of a small call).
   */
  private argumentList(args: unknown[]): boolean {
    if (isProxy(args) || getPrototypeOf(args) !== Array.prototype) return this.refuse();
    // Not added to `seen`: nothing a caller passes can refer to an array made after it.
    return this.items(args, 1);
  }

  private array(array: unknown[], depth: number): boolean {
    if (getPrototypeOf(array) !== Array.prototype) return this.refuse();
    const length = array.length;
    // Structured clone keeps holes and non-index properties; refuse both rather than lose them.
    if (ownKeys(array).length !== length) return this.refuse();
    return this.items(array, depth);
  }

  private items(array: unknown[], depth: number): boolean {
    const length = array.length;
    if (!this.room(5)) return false;
    this.bytes[this.pos] = Tag.Array;
    this.view.setUint32(this.pos + 1, length, true);
    this.pos += 5;
    for (let i = 0; i < length; i++) {
      const item = array[i];
      // A hole plus an extra property would pass the key count above.
      if (item === undefined && !(i in array)) return this.refuse();
      if (!this.value(item, depth + 1)) return false;
    }
    return true;
  }

  private object(object: Record<string, unknown>, depth: number): boolean {
    const keys = ownKeys(object);
    const shape = this.shapeOf(keys);
    if (shape >= 0) {
      if (!this.room(3)) return false;
      this.bytes[this.pos] = Tag.SameKeys;
      this.view.setUint16(this.pos + 1, shape, true);
      this.pos += 3;
      for (let i = 0; i < keys.length; i++) if (!this.value(object[keys[i]!], depth + 1)) return false;
      return true;
    }
    if (!this.room(5)) return false;
    this.bytes[this.pos] = Tag.Object;
    this.view.setUint32(this.pos + 1, keys.length, true);
    this.pos += 5;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      // Assigning "__proto__" on the other side would change the prototype instead.
      if (key === "__proto__") return this.refuse();
      if (!this.string(key) || !this.value(object[key], depth + 1)) return false;
    }
    // Numbered once written, after the objects inside it: the reader numbers them in the same order.
    if (keys.length > 0 && this.shapes.length < MAX_SHAPES) this.lastShape = this.shapes.push(keys) - 1;
    return true;
  }

  /** The number of an earlier key list of this message equal to `keys` (same strings, same order), or -1. */
  private shapeOf(keys: string[]): number {
    if (keys.length === 0) return -1;
    const shapes = this.shapes;
    if (this.lastShape >= 0 && sameKeys(shapes[this.lastShape]!, keys)) return this.lastShape;
    for (let n = shapes.length - 1; n >= 0 && n >= shapes.length - RECENT_SHAPES; n--) {
      if (n !== this.lastShape && sameKeys(shapes[n]!, keys)) return (this.lastShape = n);
    }
    return -1;
  }
}

function sameKeys(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
