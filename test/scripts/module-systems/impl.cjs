// A CommonJS implementation module; it uses the worker helpers through require().
const { currentCall } = require("synchronicity-js/worker");

exports.kind = "cjs";
exports.square = async (x, delayMs = 5) => {
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  return x * x;
};
exports.callId = async () => currentCall()?.id;
