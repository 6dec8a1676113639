// The implementation module every library calls: trivial async functions, so that what is
// measured is the cost of crossing threads, not the work.
export async function add(a, b) {
  return a + b;
}

export async function echo(s) {
  return s;
}
