/**
 * The overloads of a function type, as a list of [parameters, result] pairs. TypeScript has no
 * operator for this; matching the type against object types with a fixed number of call
 * signatures is the known technique. When the type has fewer signatures than the pattern, the
 * extra `infer`s take the first signature again, so the list is deduplicated; a function with more
 * signatures than the largest pattern keeps its last five.
 */
export type OverloadList = [unknown[], unknown][];

/** The overloads of `F`, in declaration order, each once. */
export type Overloads<F> = Unique<Matched<F>>;

type Matched<F> = F extends {
  (...args: infer A1): infer R1;
  (...args: infer A2): infer R2;
  (...args: infer A3): infer R3;
  (...args: infer A4): infer R4;
  (...args: infer A5): infer R5;
}
  ? [[A1, R1], [A2, R2], [A3, R3], [A4, R4], [A5, R5]]
  : F extends { (...args: infer A1): infer R1; (...args: infer A2): infer R2; (...args: infer A3): infer R3; (...args: infer A4): infer R4 }
    ? [[A1, R1], [A2, R2], [A3, R3], [A4, R4]]
    : F extends { (...args: infer A1): infer R1; (...args: infer A2): infer R2; (...args: infer A3): infer R3 }
      ? [[A1, R1], [A2, R2], [A3, R3]]
      : F extends { (...args: infer A1): infer R1; (...args: infer A2): infer R2 }
        ? [[A1, R1], [A2, R2]]
        : F extends (...args: infer A1) => infer R1
          ? [[A1, R1]]
          : [];

/** The construct signatures of `C`, the same way. */
export type ConstructorOverloads<C> = Unique<MatchedConstructors<C>>;

type MatchedConstructors<C> = C extends {
  new (...args: infer A1): infer R1;
  new (...args: infer A2): infer R2;
  new (...args: infer A3): infer R3;
  new (...args: infer A4): infer R4;
  new (...args: infer A5): infer R5;
}
  ? [[A1, R1], [A2, R2], [A3, R3], [A4, R4], [A5, R5]]
  : C extends { new (...args: infer A1): infer R1; new (...args: infer A2): infer R2; new (...args: infer A3): infer R3; new (...args: infer A4): infer R4 }
    ? [[A1, R1], [A2, R2], [A3, R3], [A4, R4]]
    : C extends { new (...args: infer A1): infer R1; new (...args: infer A2): infer R2; new (...args: infer A3): infer R3 }
      ? [[A1, R1], [A2, R2], [A3, R3]]
      : C extends { new (...args: infer A1): infer R1; new (...args: infer A2): infer R2 }
        ? [[A1, R1], [A2, R2]]
        : C extends new (...args: infer A1) => infer R1
          ? [[A1, R1]]
          : [];

/** Exact type equality (the conditional-type trick: mutual assignability is too loose for `any`). */
type Same<X, Y> = (<T>() => T extends X ? 1 : 2) extends <T>() => T extends Y ? 1 : 2 ? true : false;
type Includes<L extends OverloadList, E> = L extends [infer H, ...infer T extends OverloadList] ? (Same<H, E> extends true ? true : Includes<T, E>) : false;
type Unique<L extends OverloadList, Kept extends OverloadList = []> = L extends [infer H extends [unknown[], unknown], ...infer T extends OverloadList]
  ? Includes<Kept, H> extends true
    ? Unique<T, Kept>
    : Unique<T, [...Kept, H]>
  : Kept;
