/**
 * Where a wrapped function sends its requests. Module exports go through the synchronizer's Core,
 * which starts (or restarts) the worker as needed. Members of an object living in the worker go to
 * that object's own worker, pinned: if that worker is gone, so is the object.
 */
import type { RequestOp } from "../../protocol/messages.js";
import { ClosedError, ReferenceLostError } from "../../errors.js";
import type { CallControl, Connection } from "../wire/connection.js";
import { Future } from "./future.js";

export interface Requester {
  requestSync(op: RequestOp, control?: CallControl): unknown;
  requestAsync(op: RequestOp, control?: CallControl): Promise<unknown>;
  requestFuture<T>(op: RequestOp, control?: CallControl): Future<T>;
  /** The connection `op` must go to, ready for it. */
  connectionFor(op: RequestOp): Connection;
  readonly closeTimeoutMs: number;
  /** The synchronizer's default timeout, for calls that give none. */
  readonly defaultTimeoutMs: number | undefined;
}

export interface PinnedTarget {
  readonly connection: Connection;
  /** Set by release(): the worker may already have dropped the object. */
  released: boolean;
  /** What to call the object in errors: "DBConnection #4". */
  readonly label: string;
}

export class PinnedRequester implements Requester {
  /**
   * The proxy these requests are about. Every form of its methods (`const get = box.get`, and
   * `get.aio`, `get.with(...)`) reaches it through this requester, so a detached method keeps its
   * object alive: the object is released only when neither it nor any of its methods is reachable.
   */
  owner: object | undefined;

  constructor(private readonly target: PinnedTarget) {}

  get closeTimeoutMs(): number {
    return this.target.connection.options.closeTimeoutMs;
  }

  connectionFor(): Connection {
    const { connection, released, label } = this.target;
    if (released) throw new ReferenceLostError(`${label} was released; it can no longer be used`);
    if (connection.exited instanceof ClosedError) throw new ClosedError(`${label} cannot be used: the synchronizer is closed`);
    if (connection.exited) {
      throw new ReferenceLostError(`${label} was lost with its worker (${connection.exited.message})`, { cause: connection.exited });
    }
    return connection;
  }

  requestSync(op: RequestOp, control?: CallControl): unknown {
    return this.connectionFor().requestSync(op, withDefaults(control, this.defaultTimeoutMs));
  }

  requestAsync(op: RequestOp, control?: CallControl): Promise<unknown> {
    try {
      return this.connectionFor().requestAsync(op, withDefaults(control, this.defaultTimeoutMs));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  requestFuture<T>(op: RequestOp, control?: CallControl): Future<T> {
    return Future.start<T>(this.connectionFor(), op, withDefaults(control, this.defaultTimeoutMs));
  }

  get defaultTimeoutMs(): number | undefined {
    return this.target.connection.options.defaultTimeoutMs;
  }
}

/** The control of a call, with the synchronizer's default timeout where the call gives none. */
/** The control of a call made without options (shared: controls are never modified). */
export const NO_CONTROL: CallControl = Object.freeze({});

export function withDefaults(control: CallControl | undefined, defaultTimeoutMs: number | undefined): CallControl {
  if (defaultTimeoutMs === undefined || control?.timeoutMs !== undefined) return control ?? NO_CONTROL;
  return { ...control, timeoutMs: defaultTimeoutMs };
}
