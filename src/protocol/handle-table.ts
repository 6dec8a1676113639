/**
 * A handle table: objects that the other side holds a reference to, by id. The worker keeps one
 * for its objects and iterators; the caller keeps one for the functions it passed as callbacks.
 *
 * An object keeps one id for as long as it is in the table, so the caller can keep identity (the
 * same object always arrives as the same proxy). Releases are counted, not boolean: the worker
 * counts how many times it *sent* an id, the holder reports how many times it *received* it when
 * it lets go, and the entry is dropped only when the two agree. A release that crosses a message
 * carrying the same id (the holder dropped its proxy while the owner was sending the object again)
 * therefore leaves the entry alive for the proxy the holder is about to create.
 */
export interface HandleEntry {
  readonly value: object;
  sent: number;
  /** Runs when the entry is dropped (iterators close themselves). */
  readonly onRelease?: () => void;
}

export class HandleTable {
  private readonly entries = new Map<number, HandleEntry>();
  private readonly ids = new WeakMap<object, number>();
  private nextId = 1;
  /** Ids sent by the message being built (reused: one message at a time, and most send no ids). */
  private readonly journal: number[] = [];
  private journaling = false;

  /** The id under which `value` is sent now (allocating one on first send). */
  send(value: object, onRelease?: () => void): number {
    let id = this.ids.get(value);
    const existing = id === undefined ? undefined : this.entries.get(id);
    if (existing !== undefined && id !== undefined) {
      existing.sent++;
    } else {
      id = this.nextId++;
      this.entries.set(id, { value, sent: 1, ...(onRelease && { onRelease }) });
      this.ids.set(value, id);
    }
    if (this.journaling) this.journal.push(id);
    return id;
  }

  /** Record the sends of one message, so that they can be undone if it fails to post. */
  beginMessage(): void {
    this.journaling = true;
    // (Setting an array's length costs more than testing it; most messages send no handle.)
    if (this.journal.length !== 0) this.journal.length = 0;
  }

  /** The ids sent so far by the message being built (one entry per send). */
  journaled(): readonly number[] {
    return this.journal;
  }

  /** End of a message: undo its sends if it was not posted. */
  endMessage(posted: boolean): void {
    this.journaling = false;
    if (this.journal.length === 0) return;
    if (!posted) for (const id of this.journal) this.unsend(id);
    this.journal.length = 0;
  }

  /**
   * A send that did not happen after all (the message failed to post). The other side never held
   * the object, so it was never handed over: the entry goes without its release action (closing
   * an iterator there would close the implementation's own generator, which it may still use).
   */
  unsend(id: number): void {
    const entry = this.entries.get(id);
    if (entry !== undefined && --entry.sent <= 0) this.forget(id);
  }

  get(id: number): object | undefined {
    return this.entries.get(id)?.value;
  }

  /** The holder released `received` references to `id`. */
  release(id: number, received: number): void {
    const entry = this.entries.get(id);
    if (entry === undefined) return;
    entry.sent -= received;
    if (entry.sent <= 0) this.drop(id, entry);
  }

  /** Drop an entry now, whatever the counts (an iterator that finished). */
  forget(id: number): void {
    const entry = this.entries.get(id);
    if (entry !== undefined) {
      this.entries.delete(id);
      this.ids.delete(entry.value);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  /** Every live entry, for cleanup at shutdown. */
  values(): IterableIterator<HandleEntry> {
    return this.entries.values();
  }

  private drop(id: number, entry: HandleEntry): void {
    this.entries.delete(id);
    this.ids.delete(entry.value);
    entry.onRelease?.();
  }
}
