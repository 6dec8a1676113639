/** An Error created at a call site, whose frames are appended to errors coming from the worker. */
export function captureSite(): Error {
  const limit = Error.stackTraceLimit;
  // Room for this library's own frames on top of the user's ten.
  Error.stackTraceLimit = limit + 8;
  const site = new Error();
  Error.stackTraceLimit = limit;
  return site;
}
