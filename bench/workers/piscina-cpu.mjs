// piscina's task for the pool-cpu scenario: the same synchronous job synchronicity runs.
import { work } from "../impl/cpu.mjs";

export default function run({ n }) {
  return work(n);
}
