// The implementation: ordinary async code. It runs in the synchronizer's worker thread.
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function f(x: number): Promise<number> {
  await sleep(1000);
  return x ** 2;
}

export function add(a: number, b: number): number {
  return a + b;
}
