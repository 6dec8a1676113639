// The implementation module every library calls: trivial async functions, so that what is
// measured is the cost of crossing threads, not the work.
export async function add(a, b) {
  return a + b;
}

export async function echo(s) {
  return s;
}

/** The generator scenario: n small items, one by one. */
export async function* items(n) {
  for (let i = 0; i < n; i++) yield i;
}

/** The same items as one array, for libraries without generators. */
export async function list(n) {
  return Array.from({ length: n }, (_, i) => i);
}
