// examples/migration/synckit-worker.mjs: with synckit, one worker file per function.
import { runAsWorker } from "synckit";
import { checkedSha256 } from "./digest.mjs";

runAsWorker(checkedSha256);
