/**
 * The holder's side of a handle table: for every remote object it holds, the one local object that
 * stands for it (kept weakly, so identity holds while it lives), and how many times the owner sent
 * the id (for race-free release, see handle-table.ts). The caller uses it for worker objects; the
 * worker uses it for the caller's callbacks.
 *
 * When the local object is garbage collected, a FinalizationRegistry callback releases the id on
 * the owning side. A call in flight keeps its object reachable (the pending call references it),
 * so a release never overtakes a call.
 */
interface Slot {
  ref: WeakRef<object> | undefined;
  /** The token of the live local object; a finalizer for an older object of the same id carries another. */
  token: object | undefined;
  received: number;
}

export class HandleRefs {
  private readonly slots = new Map<number, Slot>();
  private readonly finalizer = new FinalizationRegistry<{ id: number; token: object }>(({ id, token }) => this.collected(id, token));
  private queued: Array<readonly [number, number]> = [];

  constructor(private readonly post: (releases: ReadonlyArray<readonly [number, number]>) => void) {}

  /**
   * The local object for worker object `id`, received once more: the live one if there is one,
   * else a new one from `create`, tracked from now on.
   */
  adopt<T extends object>(id: number, create: () => T): T {
    let slot = this.slots.get(id);
    if (slot === undefined) {
      slot = { ref: undefined, token: undefined, received: 0 };
      this.slots.set(id, slot);
    }
    slot.received++;
    const live = slot.ref?.deref();
    if (live !== undefined) return live as T;
    const created = create();
    this.track(id, slot, created);
    return created;
  }

  /** Track a local object created before its id was known (a generator started lazily). */
  adoptObject(id: number, local: object): void {
    const slot: Slot = { ref: undefined, token: undefined, received: 1 };
    this.slots.set(id, slot);
    this.track(id, slot, local);
  }

  private track(id: number, slot: Slot, local: object): void {
    const token = {};
    slot.ref = new WeakRef(local);
    slot.token = token;
    this.finalizer.register(local, { id, token }, token);
  }

  /** The worker dropped `id` by itself (an iterator that finished): forget it without a release. */
  forget(id: number): void {
    const slot = this.slots.get(id);
    if (slot?.token) this.finalizer.unregister(slot.token);
    this.slots.delete(id);
  }

  /** Release `id` now (explicit dispose), instead of waiting for garbage collection. */
  release(id: number): void {
    const slot = this.slots.get(id);
    if (slot === undefined) return;
    if (slot.token) this.finalizer.unregister(slot.token);
    this.slots.delete(id);
    this.enqueue(id, slot.received);
  }

  get size(): number {
    return this.slots.size;
  }

  private collected(id: number, token: object): void {
    const slot = this.slots.get(id);
    if (slot === undefined || slot.token !== token) return;
    this.slots.delete(id);
    this.enqueue(id, slot.received);
  }

  /** Releases are batched: one message for everything collected in the same tick. */
  private enqueue(id: number, received: number): void {
    if (this.queued.length === 0) queueMicrotask(() => this.flush());
    this.queued.push([id, received]);
  }

  /** Post the queued releases now (also done automatically at the end of the tick). */
  flush(): void {
    const releases = this.queued;
    this.queued = [];
    if (releases.length > 0) this.post(releases);
  }
}
