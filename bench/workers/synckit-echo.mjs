// synckit runs one async function per worker file: this one is echo(s).
import { runAsWorker } from "synckit";
import { echo } from "../impl/add.mjs";

runAsWorker(echo);
