// comlink exposes an object in the worker; the main thread gets an async proxy of it.
import { parentPort } from "node:worker_threads";
import { expose } from "comlink/dist/esm/comlink.mjs";
import nodeEndpoint from "comlink/dist/esm/node-adapter.mjs";
import { add, echo } from "../impl/add.mjs";

expose({ add, echo }, nodeEndpoint(parentPort));
