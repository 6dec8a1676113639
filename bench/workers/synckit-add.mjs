// synckit runs one async function per worker file: this one is add(a, b).
import { runAsWorker } from "synckit";
import { add } from "../impl/add.mjs";

runAsWorker(add);
