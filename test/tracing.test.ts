// Tracing: NODE_DEBUG=synchronicity / SYNCHRONICITY_DEBUG log each call to stderr, and every call
// is published on the diagnostics_channel tracing channel "synchronicity:call".
import { tracingChannel } from "node:diagnostics_channel";
import { afterAll, describe, expect, it } from "vitest";
import { Synchronizer, type CallTraceContext } from "synchronicity-js";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fixture, readmeSample, repoRoot, runNode, script } from "./helpers.js";

// One line per call: "SYNCHRONICITY <pid>: #<id> <op> <name> <form> <ms> ms <outcome>".
const line = (name: string, form: string, outcome: string) => new RegExp(`^SYNCHRONICITY \\d+: #\\d+ call ${name} ${form} \\d+\\.\\d ms ${outcome}$`);

function traceLines(stderr: string): string[] {
  return stderr.split("\n").filter((l) => l.startsWith("SYNCHRONICITY "));
}

describe("call log on stderr", () => {
  for (const env of [{ NODE_DEBUG: "synchronicity" }, { NODE_DEBUG: "http,synchronicity" }, { SYNCHRONICITY_DEBUG: "1" }, { SYNCHRONICITY_DEBUG: "calls" }]) {
    it(`logs each call with its id, name, form, duration and outcome (${JSON.stringify(env)})`, async () => {
      const result = await runNode(script("trace-calls.mjs"), [], { env, deadlineMs: 20_000 });
      expect(result.code).toBe(0);
      expect(result.stdout).toBe("done\n");
      const lines = traceLines(result.stderr);
      expect(lines).toHaveLength(4);
      expect(lines[0]).toMatch(line("square", "blocking", "ok"));
      expect(lines[1]).toMatch(line("square", "aio", "ok"));
      expect(lines[2]).toMatch(line("square", "future", "ok"));
      expect(lines[3]).toMatch(line("throwTypeError", "blocking", "threw TypeError: .+"));
      const ids = lines.map((l) => Number(/#(\d+)/.exec(l)![1]));
      expect(new Set(ids).size).toBe(4);
    });
  }

  it("logs nothing without NODE_DEBUG or SYNCHRONICITY_DEBUG, or with SYNCHRONICITY_DEBUG=stack (frames only)", async () => {
    for (const env of [{ NODE_DEBUG: "", SYNCHRONICITY_DEBUG: "" }, { NODE_DEBUG: "http", SYNCHRONICITY_DEBUG: "stack" }]) {
      const result = await runNode(script("trace-calls.mjs"), [], { env, deadlineMs: 20_000 });
      expect(result.code).toBe(0);
      expect(traceLines(result.stderr)).toEqual([]);
    }
  });
});

describe('diagnostics_channel tracing channel "synchronicity:call"', () => {
  const synchronizer = new Synchronizer();
  const basic = synchronizer.wrapModule<typeof import("./fixtures/basic.js")>(fixture("basic"));
  const errors = synchronizer.wrapModule<typeof import("./fixtures/errors.js")>(fixture("errors"));
  afterAll(() => synchronizer.close());

  function record() {
    const events: Array<[string, CallTraceContext]> = [];
    const channel = tracingChannel<string, CallTraceContext>("synchronicity:call");
    const handlers = {
      start: (c: CallTraceContext) => events.push(["start", { ...c }]),
      end: (c: CallTraceContext) => events.push(["end", { ...c }]),
      asyncStart: (c: CallTraceContext) => events.push(["asyncStart", { ...c }]),
      asyncEnd: (c: CallTraceContext) => events.push(["asyncEnd", { ...c }]),
      error: (c: CallTraceContext) => events.push(["error", { ...c }]),
    };
    channel.subscribe(handlers);
    return { events, stop: () => channel.unsubscribe(handlers) };
  }

  it("publishes start and end around a blocking call, with the result", () => {
    basic.add(0, 0); // imports the module first, so that only the call is seen
    const { events, stop } = record();
    expect(basic.add(2, 3)).toBe(5);
    stop();
    expect(events.map(([kind]) => kind)).toEqual(["start", "end"]);
    expect(events[0]![1]).toMatchObject({ name: "add", op: "call", form: "blocking" });
    expect(events[1]![1]).toMatchObject({ name: "add", form: "blocking", result: 5 });
    expect(events[0]![1].id).toBe(events[1]![1].id);
  });

  it("publishes start, end, then asyncStart and asyncEnd when an .aio call or a future settles", async () => {
    const { events, stop } = record();
    const promise = basic.square.aio(4, 20);
    expect(events.map(([kind]) => kind)).toEqual(["start", "end"]);
    expect(await promise).toBe(16);
    const future = basic.square.future(5, 1);
    expect(await future).toBe(25);
    stop();
    expect(events.map(([kind, c]) => `${kind} ${c.form}`)).toEqual([
      "start aio",
      "end aio",
      "asyncStart aio",
      "asyncEnd aio",
      "start future",
      "end future",
      "asyncStart future",
      "asyncEnd future",
    ]);
    expect(events[3]![1].result).toBe(16);
  });

  it("publishes error with the error the caller gets", () => {
    expect(typeof errors.throwTypeError).toBe("function"); // imports the module first
    const { events, stop } = record();
    let thrown: unknown;
    try {
      errors.throwTypeError();
    } catch (error) {
      thrown = error;
    }
    stop();
    expect(thrown).toBeInstanceOf(TypeError);
    expect(events.map(([kind]) => kind)).toEqual(["start", "error", "end"]);
    expect(events[1]![1].error).toBe(thrown);
  });

  it("publishes nothing once unsubscribed, and calls still work", () => {
    const { events, stop } = record();
    stop();
    expect(basic.add(1, 1)).toBe(2);
    expect(events).toEqual([]);
  });
});

describe("README: debugging and tracing", () => {
  it("the subscription sample prints each call's name and duration", async () => {
    const dir = join(repoRoot, "build", "readme-samples", "tracing");
    mkdirSync(dir, { recursive: true });
    const file = join(dir, "subscribe.mjs");
    const calls = [
      `const { Synchronizer } = await import("synchronicity-js");`,
      `const api = new Synchronizer().wrapModule(${JSON.stringify(fixture("basic").href)});`,
      `api.square(2, 1);`,
      `await api.square.aio(3, 1);`,
    ];
    writeFileSync(file, readmeSample('import { tracingChannel } from "node:diagnostics_channel";') + calls.join("\n") + "\n");
    const result = await runNode(file, [], { deadlineMs: 20_000 });
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatch(/^square \d+(\.\d+)?\nsquare \d+(\.\d+)?\n$/);
  });
});
