// synckit runs one async function per worker file: this one is list(n).
import { runAsWorker } from "synckit";
import { list } from "../impl/add.mjs";

runAsWorker(list);
