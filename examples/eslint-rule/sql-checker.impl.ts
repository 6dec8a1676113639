// The implementation: a Postgres (PGlite, WebAssembly, async-only API) holding the project's schema.
// Each SqlChecker lives in the worker; the lint rule keeps one per schema across files.
import { PGlite } from "@electric-sql/pglite";

export interface SqlProblem {
  message: string;
  /** 1-based character offset into the statement, when Postgres names one. */
  position?: number;
}

export class SqlChecker {
  static async create(schema: string): Promise<SqlChecker> {
    const db = await PGlite.create();
    await db.exec(schema);
    return new SqlChecker(db);
  }

  private constructor(private readonly db: PGlite) {}

  /** Parses and plans `statement` against the schema without running it. */
  async check(statement: string): Promise<SqlProblem | null> {
    try {
      await this.db.describeQuery(statement);
      return null;
    } catch (error) {
      const { message, position } = error as Error & { position?: string | number };
      return position === undefined ? { message } : { message, position: Number(position) };
    }
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}
