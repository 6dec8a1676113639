// A blocking call that waits for the caller's own event loop can never finish (issue 9, item 26):
// it cannot be detected in general, but `blockingWarningMs` names the call on stderr.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { Synchronizer, TimeoutError } from "synchronicity-js";
import { fixture } from "./helpers.js";

type Client = typeof import("./fixtures/http-client.js");
let server: Server;
let url: string;
beforeAll(async () => {
  server = createServer((_, response) => response.end("hello from the caller's thread"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));
afterEach(() => vi.restoreAllMocks());

function captureStderr(): string[] {
  const written: string[] = [];
  vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  return written;
}

describe("blockingWarningMs (item 26)", () => {
  it("a server in the caller's thread deadlocks a blocking call: the warning names the call while it waits", async () => {
    const s = new Synchronizer({ blockingWarningMs: 300 });
    try {
      const api = s.wrapModule<Client>(fixture("http-client"));
      api.sleepFor(1); // loaded and warm: the wait below is the deadlock alone
      const written = captureStderr();
      const started = performance.now();
      expect(() => api.fetchText.with({ timeout: 2_500 })(url)).toThrow(TimeoutError);
      expect(performance.now() - started).toBeGreaterThanOrEqual(2_400);
      vi.restoreAllMocks();
      expect(written).toHaveLength(1);
      expect(written[0]).toMatch(/^synchronicity: the blocking call fetchText\(\) has waited \d+ ms for the worker and is still waiting\./);
      expect(written[0]).toContain("needs this thread's event loop");
      expect(written[0]).toContain("fetchText.aio(...)");
      // The async form is the way out: the server answers while the caller awaits.
      expect(await api.fetchText.aio(url)).toBe("hello from the caller's thread");
    } finally {
      await s.close();
    }
  });

  it("says nothing for calls that finish in time, nor by default", async () => {
    const quiet = new Synchronizer({ blockingWarningMs: 20_000 });
    const byDefault = new Synchronizer();
    // Started and loaded first: on a busy machine, starting a worker alone can take seconds.
    await Promise.all([quiet.importModule(fixture("http-client")), byDefault.importModule(fixture("http-client"))]);
    const written = captureStderr();
    try {
      expect(quiet.wrapModule<Client>(fixture("http-client")).sleepFor(50)).toBe(50);
      expect(byDefault.wrapModule<Client>(fixture("http-client")).sleepFor(700)).toBe(700);
    } finally {
      vi.restoreAllMocks();
      await Promise.all([quiet.close(), byDefault.close()]);
    }
    expect(written.filter((line) => line.startsWith("synchronicity:"))).toEqual([]);
  });

  it("rejects a value that is not a number of milliseconds", () => {
    expect(() => new Synchronizer({ blockingWarningMs: -1 })).toThrow(/options\.blockingWarningMs must be a non-negative number of milliseconds.*not -1/);
    expect(() => new Synchronizer({ blockingWarningMs: "10s" as never })).toThrow(/options\.blockingWarningMs must be a non-negative number/);
  });
});
