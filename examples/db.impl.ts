// The implementation: the seed README's DBConnection, for real, on PGlite (Postgres compiled to
// WebAssembly, with an async API). Ordinary async code: only `transaction` uses a helper of
// synchronicity (resource(), which runs in the worker too).
import { fileURLToPath } from "node:url";
import { PGlite, messages } from "@electric-sql/pglite";
import { resource } from "synchronicity-js/worker";

/** What a failed statement throws, with Postgres's fields: `code` (SQLSTATE), `detail`, `position` ... */
export const DatabaseError: typeof messages.DatabaseError = messages.DatabaseError;

/** A result row: column name to value. */
export type Row = Record<string, unknown>;

let cursorIds = 0;

export class DBConnection {
  readonly url: string;
  #dataDir: string | undefined;
  #db: PGlite | undefined;
  #connecting: Promise<PGlite> | undefined; // concurrent connect() calls share one start
  /** Cursors open right now; they share one transaction, which `cursor` opens and ends. */
  #openCursors = 0;
  #cursorTransaction = false;
  #cursorTransactionBegun: Promise<void> = Promise.resolve();

  /** `memory://` (the default) for a database in memory, or `file:///some/dir` for one on disk. */
  constructor(url = "memory://") {
    const parsed = new URL(url); // throws a TypeError for a string that is not a URL
    if (parsed.protocol === "memory:") this.#dataDir = undefined;
    else if (parsed.protocol === "file:") this.#dataDir = fileURLToPath(parsed);
    else throw new TypeError(`unsupported database URL ${url}: use memory:// or file:///path`);
    this.url = url;
  }

  /** Construct and connect. */
  static async open(url?: string): Promise<DBConnection> {
    const db = new DBConnection(url);
    await db.connect();
    return db;
  }

  async connect(): Promise<void> {
    if (this.connected) return;
    this.#connecting ??= PGlite.create(this.#dataDir).finally(() => (this.#connecting = undefined));
    this.#db = await this.#connecting;
  }

  get connected(): boolean {
    return this.#db !== undefined && !this.#db.closed;
  }

  /**
   * Run one statement, with `$1`, `$2` ... parameters; resolves to its rows. `R` names the shape of
   * a row (`db.query<City>(...)`); it is the caller's word, not checked against the database.
   */
  async query<R extends Row = Row>(sql: string, params: unknown[] = []): Promise<R[]> {
    const result = await this.#connection().query<R>(sql, params);
    return result.rows;
  }

  /** Run a script of statements (no parameters); resolves to the number of rows they changed. */
  async execute(sql: string): Promise<number> {
    const results = await this.#connection().exec(sql);
    return results.reduce((sum, result) => sum + (result.affectedRows ?? 0), 0);
  }

  /**
   * Stream the rows of a query through a Postgres cursor, `batchSize` rows per FETCH: the rows
   * are never all in memory at once. A cursor lives in a transaction; if none is open, one is
   * opened for the cursor and ended when the last open cursor is done.
   */
  async *cursor(sql: string, params: unknown[] = [], batchSize = 100): AsyncGenerator<Row, void, undefined> {
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, not ${batchSize}`);
    const db = this.#connection();
    const name = `cursor_${++cursorIds}`;
    let declared = false;
    let failed = false;
    if (++this.#openCursors === 1) this.#cursorTransactionBegun = this.#beginCursorTransaction(db);
    try {
      await this.#cursorTransactionBegun;
      await db.query(`DECLARE ${name} NO SCROLL CURSOR FOR ${sql}`, params);
      declared = true;
      for (;;) {
        const { rows } = await db.query<Row>(`FETCH FORWARD ${batchSize} FROM ${name}`);
        yield* rows;
        if (rows.length < batchSize) break;
      }
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      // Runs also when the consumer stops early (`break`, `return()`).
      this.#openCursors--;
      if (!db.closed) {
        if (declared) {
          // Fails only when an error has aborted the transaction, which then closes the cursor.
          await db.query(`CLOSE ${name}`).catch(() => (failed = true));
        }
        if (this.#openCursors === 0 && this.#cursorTransaction) {
          this.#cursorTransaction = false;
          await db.query(failed ? "ROLLBACK" : "COMMIT");
        }
      }
    }
  }

  async close(): Promise<void> {
    const db = this.#db;
    this.#db = undefined;
    if (db !== undefined && !db.closed) await db.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async #beginCursorTransaction(db: PGlite): Promise<void> {
    if (await db.isInTransaction()) return; // the caller's transaction: theirs to end
    await db.query("BEGIN");
    this.#cursorTransaction = true;
  }

  #connection(): PGlite {
    if (this.#db === undefined || this.#db.closed) throw new Error(`not connected to ${this.url}: call connect() first`);
    return this.#db;
  }
}

/**
 * A transaction as a resource: BEGIN, hand out the connection, then COMMIT, or ROLLBACK when the
 * block that used it failed (`tx.use(block)` throws the block's error in here, at the `yield`).
 */
export const transaction = resource(async function* (db: DBConnection) {
  await db.execute("BEGIN");
  try {
    yield db;
  } catch (error) {
    await db.execute("ROLLBACK");
    throw error;
  }
  await db.execute("COMMIT");
});
