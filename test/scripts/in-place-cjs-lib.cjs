// A CommonJS library that wraps in place; test/scripts/in-place-esm-user.mjs uses it from ESM.
const { Synchronizer } = require("synchronicity-js");

const synchronizer = new Synchronizer();

exports.cube = synchronizer.wrap(module, async function cube(x) {
  return x ** 3;
});
exports.synchronizer = synchronizer;
