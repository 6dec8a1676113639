/**
 * Where a wrapped function sends its requests. Module exports go through the synchronizer's Core,
 * which starts (or restarts) the worker as needed. Members of an object living in the worker go to
 * that object's own worker, pinned: if that worker is gone, so is the object.
 */
import type { RequestOp } from "../protocol/messages.js";
import { ReferenceLostError } from "../errors.js";
import type { Connection } from "./connection.js";
import { Future } from "./future.js";

export interface Requester {
  requestSync(op: RequestOp, timeoutMs?: number): unknown;
  requestAsync(op: RequestOp, timeoutMs?: number): Promise<unknown>;
  requestFuture<T>(op: RequestOp): Future<T>;
  /** The connection `op` must go to, ready for it. */
  connectionFor(op: RequestOp): Connection;
  readonly closeTimeoutMs: number;
}

export interface PinnedTarget {
  readonly connection: Connection;
  /** Set by release(): the worker may already have dropped the object. */
  released: boolean;
  /** What to call the object in errors: "DBConnection #4". */
  readonly label: string;
}

export class PinnedRequester implements Requester {
  constructor(private readonly target: PinnedTarget) {}

  get closeTimeoutMs(): number {
    return this.target.connection.options.closeTimeoutMs;
  }

  connectionFor(): Connection {
    const { connection, released, label } = this.target;
    if (released) throw new ReferenceLostError(`${label} was released; it can no longer be used`);
    if (connection.exited) {
      throw new ReferenceLostError(`${label} was lost with its worker (${connection.exited.message})`, { cause: connection.exited });
    }
    return connection;
  }

  requestSync(op: RequestOp, timeoutMs?: number): unknown {
    return this.connectionFor().requestSync(op, timeoutMs);
  }

  requestAsync(op: RequestOp, timeoutMs?: number): Promise<unknown> {
    try {
      return this.connectionFor().requestAsync(op, timeoutMs);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  requestFuture<T>(op: RequestOp): Future<T> {
    const connection = this.connectionFor();
    return new Future<T>(connection.send(op, true), connection);
  }
}
