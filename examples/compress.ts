// Calling blocking code asynchronously: node:zlib's synchronous gzip, run on a pool of two worker
// threads, while this thread's event loop stays free. Run with `npx tsx examples/compress.ts`.
import { Synchronizer } from "synchronicity-js";

const synchronizer = new Synchronizer({ threads: 2 });
const zlib = synchronizer.wrapModule<typeof import("./compress.impl.js")>(new URL("./compress.impl.ts", import.meta.url));

// Eight texts of 1 MiB each, the same on every run.
const words = ["lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipiscing", "elit"];
let seed = 42;
const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
const texts = Array.from({ length: 8 }, () => {
  let text = "";
  while (text.length < 1024 * 1024) text += words[next() % words.length] + (next() % 10 === 0 ? ".\n" : " ");
  return text.slice(0, 1024 * 1024);
});

let ticks = 0;
const ticker = setInterval(() => ticks++, 5); // runs only if this thread's event loop is free

const compressed = await Promise.all(texts.map((text) => zlib.gzip.aio(text))); // spread over both workers
clearInterval(ticker);
const total = compressed.reduce((sum, bytes) => sum + bytes.length, 0);
console.log(`gzip: ${texts.length} texts of 1 MiB -> ${total} bytes in all`);
console.log(`event loop: ${ticks > 2 ? "free" : "blocked"} while the workers compressed`);

const back = await Promise.all(compressed.map((bytes) => zlib.gunzip.aio(bytes)));
console.log(`gunzip: ${back.every((text, i) => text === texts[i]) ? "every text came back" : "MISMATCH"}`);
console.log(`blocking form: ${zlib.gunzip(zlib.gzip("hello")) === "hello" ? "works too" : "failed"}`);
