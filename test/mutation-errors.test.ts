// End-to-end checks of two bugs found while examining surviving mutants (docs/TESTING.md,
// "Mutation testing"): an error reply that needs its fields described, when the error is a
// DOMException; and the path named for an uncopyable argument that refers to itself.
import { afterAll, describe, expect, it } from "vitest";
import { DataCloneError, Synchronizer } from "synchronicity-js";
import { fixture, thrown } from "./helpers.js";

const synchronizer = new Synchronizer({ timeout: 20_000, loadTimeout: 20_000 });
const api = synchronizer.wrapModule<typeof import("./fixtures/mutation-errors.js")>(fixture("mutation-errors"));
afterAll(() => synchronizer.close());

describe("codec fallbacks, end to end", () => {
  it("a DOMException with an uncopyable field arrives as itself, the field described", () => {
    const error = thrown(() => api.throwsDomExceptionWithBadField()) as DOMException & Record<string, unknown>;
    expect(error).toBeInstanceOf(DOMException);
    expect([error.name, error.message, error.code]).toEqual(["AbortError", "stopped by the fixture", 20]);
    expect(error["token"]).toBe("[not copyable: a Symbol]");
    expect(error["code2"]).toBe("E_X");
  });

  it("an argument that refers to itself before its uncopyable field: the field is named", () => {
    const value: Record<string, unknown> = { ok: 1 };
    value["self"] = value;
    value["bad"] = Symbol("b");
    const error = thrown(() => api.echo(value)) as Error;
    expect(error).toBeInstanceOf(DataCloneError);
    expect(error.message).toMatch(/^argument 1, at \.bad, could not be copied to the worker: it is a Symbol \(b\) \(/);
    expect(api.echo("still works")).toBe("still works");
  });
});
