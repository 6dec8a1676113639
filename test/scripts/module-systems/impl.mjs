// An ES module implementation; it uses the worker helpers through import.
import { currentCall } from "synchronicity-js/worker";

export const kind = "esm";
export async function square(x, delayMs = 5) {
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  return x * x;
}
export async function callId() {
  return currentCall()?.id;
}
