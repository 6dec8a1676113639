// examples/migration/digest.mjs: the implementation, plain async code (Web Crypto is async-only).
export async function sha256(text) {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Buffer.from(digest).toString("hex");
}

export async function checkedSha256(text) {
  if (typeof text !== "string") throw new TypeError(`sha256 takes a string, got ${typeof text}`);
  return sha256(text);
}
