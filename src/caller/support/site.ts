/** An Error created at a call site, whose frames are appended to errors coming from the worker. */
export function captureSite(): Error {
  // Room for this library's own frames on top of the user's ten.
  return withStackTraceLimit(Error.stackTraceLimit + 8, () => new Error());
}

/**
 * Run `fn` with Error.stackTraceLimit raised to `limit`, restoring it afterwards. Under
 * --frozen-intrinsics the limit cannot be changed: `fn` then runs with the current one.
 */
export function withStackTraceLimit<T>(limit: number, fn: () => T): T {
  const saved = Error.stackTraceLimit;
  let changed = false;
  try {
    Error.stackTraceLimit = Math.max(limit, saved);
    changed = true;
  } catch {
    // Frozen: keep the current limit.
  }
  try {
    return fn();
  } finally {
    if (changed) Error.stackTraceLimit = saved;
  }
}
