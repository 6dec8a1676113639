// Uses a synchronizer every way, then simply ends: the process must exit on its own.
import { Synchronizer } from "synchronicity-js";

const synchronizer = new Synchronizer();
const api = synchronizer.wrapModule(new URL("../../build/fixtures/basic.js", import.meta.url));
console.log("blocking", api.square(3, 10));
console.log("future", api.square.future(4, 10).result());
console.log("aio", await api.square.aio(5, 10));
api.square.aio(6, 200).then((v) => console.log("late aio", v));
console.log("end of script");
