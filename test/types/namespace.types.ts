// Type tests for values that are classes: a class returned by a call is typed as the proxy class.
import type { Api, BlockingClass } from "synchronicity-js";

type Equal<X, Y> = (<T>() => T extends X ? 1 : 2) extends <T>() => T extends Y ? 1 : 2 ? true : false;
type Expect<T extends true> = T;

type Impl = typeof import("../fixtures/namespace.js");
declare const api: Api<Impl>;

export type N1 = Expect<Equal<ReturnType<typeof api.getClass>, BlockingClass<Impl["Widget"]>>>;
export type N2 = Expect<Equal<ReturnType<typeof api.getClass>, typeof api.Widget>>;
// @ts-expect-error: the constructor's argument types are kept
new (api.getClass())("big");
