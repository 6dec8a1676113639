"use strict";
// watch(signal, callback) -> { stop() }: runs `callback` on the calling thread's event loop each
// time the process receives `signal`. Works in worker threads, where process.on(signal) does not.
module.exports = require("./build/Release/signals.node");
