/**
 * Names of members as they travel in requests. Well-known symbols travel as "Symbol.x", since a
 * symbol cannot be cloned.
 */
const wellKnown: Readonly<Record<string, symbol>> = {
  "Symbol.asyncIterator": Symbol.asyncIterator,
  "Symbol.iterator": Symbol.iterator,
  "Symbol.asyncDispose": Symbol.asyncDispose,
  "Symbol.dispose": Symbol.dispose,
};

export function memberKey(name: string): string | symbol {
  return wellKnown[name] ?? name;
}
