/**
 * The reading side of the compact codec (the format is described in format.ts). The tags are a
 * const enum: the bundle inlines them here as numbers, as it did when both sides shared one file.
 */
import { KNOWN_STRINGS, MAX_SHAPES, SHORT_STRING, Tag } from "./format.js";
import { oneItemStepReply } from "../messages.js";

export class CompactDecoder {
  private pos = 0;
  /** The key lists of the objects read in full in this message, numbered as the encoder numbered them (SAME_KEYS). */
  private readonly shapes: string[][] = [];

  constructor(
    private readonly bytes: Uint8Array,
    private readonly view: DataView,
    /** The same memory as `bytes`, for Buffer's native string decoding. */
    private readonly buffer: Buffer,
  ) {}

  decode(start: number): unknown {
    const tag = this.bytes[start] as Tag;
    this.pos = start;
    // (Setting an array's length costs more than testing it; most messages hold no object.)
    if (this.shapes.length !== 0) this.shapes.length = 0;
    if (tag < Tag.CallModule) return this.value();
    this.pos++;
    switch (tag) {
      case Tag.CallModule: {
        const id = this.int32();
        const module = this.int32();
        const name = this.value() as string;
        return { t: "req", id, op: "call", target: { module, name }, args: this.value() };
      }
      case Tag.CallHandle: {
        const id = this.int32();
        const handle = this.int32();
        const name = this.value() as string;
        return { t: "req", id, op: "call", target: { handle, name }, args: this.value() };
      }
      case Tag.Iter: {
        const id = this.int32();
        const iterator = this.int32();
        const how = this.value();
        const value = this.value();
        if (this.bytes[this.pos] === Tag.AbsentField) {
          this.pos++;
          return { t: "req", id, op: "iter", iterator, how, value };
        }
        return { t: "req", id, op: "iter", iterator, how, value, readAhead: this.value() };
      }
      case Tag.Reply: {
        const id = this.int32();
        return { t: "res", id, ok: true, value: this.value() };
      }
      case Tag.Step: {
        const id = this.int32();
        return oneItemStepReply(id, this.value());
      }
      default:
        throw new Error(`synchronicity: corrupt message in shared memory (frame ${String(tag)} at ${start})`);
    }
  }

  /** A frame's int32 field. */
  private int32(): number {
    const n = this.view.getInt32(this.pos, true);
    this.pos += 4;
    return n;
  }

  private value(): unknown {
    const tag = this.bytes[this.pos++] as Tag;
    switch (tag) {
      case Tag.Undefined:
        return undefined;
      case Tag.Null:
        return null;
      case Tag.False:
        return false;
      case Tag.True:
        return true;
      case Tag.Int32: {
        const n = this.view.getInt32(this.pos, true);
        this.pos += 4;
        return n;
      }
      case Tag.Float64: {
        const n = this.view.getFloat64(this.pos, true);
        this.pos += 8;
        return n;
      }
      case Tag.Known:
        return KNOWN_STRINGS[this.bytes[this.pos++]!];
      case Tag.Latin1: {
        const length = this.view.getUint32(this.pos, true);
        const first = this.pos + 4;
        this.pos = first + length;
        if (length > SHORT_STRING) return this.buffer.toString("latin1", first, first + length);
        let s = "";
        for (let i = first; i < first + length; i++) s += String.fromCharCode(this.bytes[i]!);
        return s;
      }
      case Tag.Utf16: {
        const length = this.view.getUint32(this.pos, true);
        const first = this.pos + 4;
        this.pos = first + 2 * length;
        return this.buffer.toString("utf16le", first, first + 2 * length);
      }
      case Tag.Array: {
        const length = this.view.getUint32(this.pos, true);
        this.pos += 4;
        const array: unknown[] = [];
        for (let i = 0; i < length; i++) array.push(this.value());
        return array;
      }
      case Tag.Object: {
        const count = this.view.getUint32(this.pos, true);
        this.pos += 4;
        const object: Record<string, unknown> = {};
        const keys: string[] = [];
        for (let i = 0; i < count; i++) {
          const key = this.value() as string;
          keys.push(key);
          object[key] = this.value();
        }
        if (count > 0 && this.shapes.length < MAX_SHAPES) this.shapes.push(keys);
        return object;
      }
      case Tag.SameKeys: {
        const keys = this.shapes[this.view.getUint16(this.pos, true)]!;
        this.pos += 2;
        const object: Record<string, unknown> = {};
        for (let i = 0; i < keys.length; i++) object[keys[i]!] = this.value();
        return object;
      }
      default:
        throw new Error(`synchronicity: corrupt message in shared memory (tag ${String(tag)} at ${this.pos - 1})`);
    }
  }
}
