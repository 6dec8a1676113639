/**
 * The format of the shared-memory transport's compact codec, shared by its writing side (codec.ts)
 * and its reading side (decoder.ts): the tags, the frames of the hottest messages, the protocol's
 * own strings. Both threads run the same build, so the format has no version of its own.
 *
 * Format: one tag byte per value, little-endian numbers.
 *   UNDEFINED NULL FALSE TRUE            no payload
 *   INT32  int32 | FLOAT64 float64       (-0 is a FLOAT64: an int32 has no sign bit for zero)
 *   LATIN1 u32 length, one byte per char | UTF16 u32 length, two bytes per char (lone surrogates kept)
 *   KNOWN  u8 index into KNOWN_STRINGS (the protocol's own keys and op names)
 *   ARRAY  u32 length, then the items | OBJECT u32 count, then key (a string value) and value pairs
 *   SAME_KEYS  u16 n, then the values: an object whose own keys are, in order, those of the n-th
 *          OBJECT of this message (numbered from 0 as each one ends, so an inner object before the
 *          one holding it). An array of rows spells its keys once: the reader neither decodes nor
 *          interns them again, and each row costs its values only.
 *
 * The hottest messages are framed instead of spelled out key by key (only as the whole message,
 * and only when the message has exactly these fields; any other field means the generic form):
 *   CALL_MODULE  int32 id, int32 module, name, args   {t:"req", id, op:"call", target:{module, name}, args}
 *   CALL_HANDLE  int32 id, int32 handle, name, args   {t:"req", id, op:"call", target:{handle, name}, args}
 *   ITER         int32 id, int32 iterator, how, value, then readAhead or UNDEFINED_FIELD
 *                                                     {t:"req", id, op:"iter", iterator, how, value, readAhead?}
 *   REPLY        int32 id, value                      {t:"res", id, ok:true, value}
 *   STEP         int32 id, item                       {t:"res", id, ok:true, value:{values:[item]}}
 *                (a lockstep step's reply: written only when the worker says that is what it posts,
 *                WorkerTransport.postStep, never guessed from a reply's value, whose getters would run)
 * Decoding a frame builds the message with one object literal, which is also faster to read
 * (decoder.ts).
 */

export const enum Tag {
  Undefined = 0,
  Null = 1,
  False = 2,
  True = 3,
  Int32 = 4,
  Float64 = 5,
  Latin1 = 6,
  Utf16 = 7,
  Known = 8,
  Array = 9,
  Object = 10,
  CallModule = 11,
  CallHandle = 12,
  Iter = 13,
  Reply = 14,
  /** In an ITER frame: the optional readAhead field is absent. */
  AbsentField = 15,
  SameKeys = 16,
  Step = 17,
}

/** How many key lists one message may number for SAME_KEYS (its u16); later objects are spelled out. */
export const MAX_SHAPES = 0xffff;
/**
 * Strings up to this length are decoded in JS, a character at a time; longer ones with Buffer's
 * native latin1Slice, whose call costs about what ten characters do (measured on Node 20).
 */
export const SHORT_STRING = 10;

/** The wire protocol's own strings (messages.ts), one byte each. Append only: both sides share this list. */
export const KNOWN_STRINGS = [
  "t", "id", "op", "req", "res", "ok", "value", "error", "encoded", "defs", "target", "module", "name",
  "member", "handle", "args", "options", "blocking", "readAhead", "call", "construct", "get", "set",
  "start", "iter", "iterator", "how", "next", "return", "throw", "values", "done", "returned", "threw",
  "release", "handles", "cancel", "reason", "callback", "import", "specifier", "shutdown", "timeoutMs",
  "stats", "__synchronicity__",
] as const;
