// The pool-cpu scenario's job: a fixed amount of synchronous arithmetic (about 50 ms on the
// benchmark machine). A fixed amount of work, not a fixed time: two threads sharing one core
// must take twice as long, so that the pool's gain is real parallelism.
export const WORK = 2_500_000;

export function work(n) {
  let x = 0;
  for (let i = 0; i < n; i++) x = (x + Math.sqrt(i) * 1.000001) % 1e9;
  return Math.round(x);
}
