/**
 * The common base of all proxy classes (remote/proxies.ts). It cannot be constructed directly:
 * instances come from the worker (constructed there, or returned by a call).
 *
 * A module of its own, in the caller's front (scripts/build.mjs): `instanceof RemoteObject` must
 * hold for every proxy, so the rest of the library takes the class from the front.
 */
export class RemoteObject {
  constructor() {
    throw new TypeError(
      `${new.target.name} stands for a class in the worker and cannot be constructed here: only the module's exported classes can be, with new api.ClassName(...), and not subclassed locally`,
    );
  }
}
