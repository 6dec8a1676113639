// Blocking code, as it is: node:zlib's synchronous API. Each call keeps its thread busy until the
// data is compressed, which is what a pool of workers is for (examples/compress.ts).
import { gunzipSync, gzipSync } from "node:zlib";

export function gzip(text: string): Uint8Array {
  return gzipSync(text, { level: 9 });
}

export function gunzip(bytes: Uint8Array): string {
  return gunzipSync(bytes).toString("utf8");
}
