// Errors the caller receives are real errors of the right class (issue 9, items 6 and 13).
import { types } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { ClosedError, DataCloneError, Synchronizer } from "synchronicity-js";
import { fixture } from "./helpers.js";

const synchronizer = new Synchronizer({ timeout: 20_000 });
const api = synchronizer.wrapModule<typeof import("./fixtures/hardening.js")>(fixture("hardening"));

afterAll(() => synchronizer.close());

function caught(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a throw");
}

describe("errors re-created in the caller (item 6)", () => {
  it.each(["type", "app", "aggregate", "plain"])("are native errors that print and clone as errors (%s)", (kind) => {
    const error = caught(() => api.fails(kind));
    expect(types.isNativeError(error)).toBe(true);
    expect(Object.prototype.toString.call(error)).toBe("[object Error]");
    const clone = structuredClone(error);
    expect(clone.message).toBe(error.message);
    expect(types.isNativeError(clone)).toBe(true);
  });

  it("keep their class, fields, cause and errors", () => {
    const app = caught(() => api.fails("app"));
    expect(app).toBeInstanceOf(api.AppError);
    expect(app.name).toBe("Error");
    expect((app as Error & { code: string }).code).toBe("E_APP");
    const plain = caught(() => api.fails("plain"));
    expect(types.isNativeError(plain.cause)).toBe(true);
    expect(plain.cause).toBeInstanceOf(RangeError);
    const aggregate = caught(() => api.fails("aggregate")) as AggregateError;
    expect(aggregate).toBeInstanceOf(AggregateError);
    expect(types.isNativeError(aggregate.errors[0])).toBe(true);
  });

  it("the library's own errors are native errors too", () => {
    const error = caught(() => api.echo(Symbol("s")));
    expect(error).toBeInstanceOf(DataCloneError);
    expect(types.isNativeError(error)).toBe(true);
    const returned = caught(() => api.revokedProxy());
    expect(returned).toBeInstanceOf(DataCloneError);
    expect(types.isNativeError(returned)).toBe(true);
  });
});

describe("error classes (item 13)", () => {
  it("it.next() after close() throws a ClosedError", async () => {
    const own = new Synchronizer();
    const mod = own.wrapModule<typeof import("./fixtures/hardening.js")>(fixture("hardening"));
    const it = mod.count(3);
    expect(it.next().value).toBe(1);
    const asyncIt = mod.count.aio(3);
    expect((await asyncIt.next()).value).toBe(1);
    await own.close();
    expect(() => it.next()).toThrow(ClosedError);
    await expect(asyncIt.next()).rejects.toBeInstanceOf(ClosedError);
  });

  it("returning a revoked Proxy gives a DataCloneError", () => {
    const error = caught(() => api.revokedProxy());
    expect(error).toBeInstanceOf(DataCloneError);
    expect(error.message).toMatch(/return value of revokedProxy\(\).*a Proxy/);
  });

  it("an argument whose Proxy trap throws gives a DataCloneError naming the argument", () => {
    const trap = new Proxy({}, { ownKeys() { throw new Error("ownKeys trap"); }, getPrototypeOf() { throw new Error("getPrototypeOf trap"); } });
    const error = caught(() => api.echo(trap));
    expect(error).toBeInstanceOf(DataCloneError);
    expect(error.message).toMatch(/argument 1.*a Proxy/);
    const nestedError = caught(() => api.echo({ list: [1, trap] }));
    expect(nestedError).toBeInstanceOf(DataCloneError);
    expect(nestedError.message).toMatch(/argument 1/);
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    expect(caught(() => api.echo(revoked.proxy))).toBeInstanceOf(DataCloneError);
    expect(api.ping()).toBe("pong");
  });
});
