// What the worker's environment says of NODE_OPTIONS (what its child processes would inherit).
export function nodeOptions() {
  return process.env.NODE_OPTIONS;
}
