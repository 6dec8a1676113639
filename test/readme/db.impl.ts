// The implementation module the README's samples talk about (`db.impl.ts`), small and in memory:
// test/readme-samples.test.ts compiles every TypeScript sample of the README beside it, with
// `api` being this module wrapped. db.impl.api.d.ts is its generated declaration.
import { currentSignal, resource } from "synchronicity-js/worker";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function square(x: number): Promise<number> {
  await sleep(100);
  return x ** 2;
}

export async function* ticks(n: number): AsyncGenerator<number, void, undefined> {
  for (let i = 0; i < n; i++) {
    await sleep(10);
    yield i;
  }
}

export async function* rows(n: number): AsyncGenerator<{ id: number }, void, undefined> {
  for (let id = 0; id < n; id++) yield { id };
}

export async function download(url: string, onProgress: (pct: number) => void | Promise<void>): Promise<number> {
  await onProgress(50);
  await onProgress(100);
  return url.length;
}

export async function slow(x: number): Promise<number> {
  await sleep(1000);
  currentSignal().throwIfAborted();
  return x;
}

export async function fill(bytes: Uint8Array, value: number): Promise<void> {
  bytes.fill(value);
}

export async function fetchText(url: string): Promise<string> {
  return (await fetch(url)).text();
}

/** A row of a query: column name to value. */
export type Row = Record<string, unknown>;

export class DBConnection {
  readonly url: string;
  #connected = false;
  #tables = new Map<string, Row[]>();

  constructor(url: string) {
    this.url = url;
  }

  static async open(url: string): Promise<DBConnection> {
    const db = new DBConnection(url);
    await db.connect();
    return db;
  }

  async connect(): Promise<void> {
    this.#connected = true;
  }

  get connected(): boolean {
    return this.#connected;
  }

  /** The rows of a table (`select * from name`); `R` names their shape. */
  async query<R extends Row = Row>(sql: string): Promise<R[]> {
    return (this.#tables.get(sql.replace(/^select \* from /i, "")) ?? []) as R[];
  }

  async execute(sql: string): Promise<number> {
    return sql.length;
  }

  async *cursor(sql: string): AsyncGenerator<Row, void, undefined> {
    yield* await this.query(sql);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.#connected = false;
  }
}

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
