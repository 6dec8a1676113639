// A preload that writes while its thread starts, to both streams, saying which thread it is in.
const { threadId } = require("node:worker_threads");
console.log(`preload stdout, thread ${threadId}`);
console.error(`preload stderr, thread ${threadId}`);
