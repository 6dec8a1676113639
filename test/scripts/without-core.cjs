// A copy of the library whose second part (dist/cjs/core.js) is missing, as a partial copy of the
// package would leave it: argv[2] is the copy's cjs directory. The first use starts the worker's
// thread before it loads that part (src/synchronizer.ts), so the thread must be ended when the load
// fails, and the process must exit by itself. Prints what the two first uses threw, as JSON.
const { Synchronizer } = require(`${process.argv[2]}/index.js`);

const synchronizer = new Synchronizer();
const api = synchronizer.wrapModule(process.argv[3]);
const codes = [];
for (let i = 0; i < 2; i++) {
  try {
    api.square(3);
    codes.push("no error");
  } catch (error) {
    codes.push(error.code);
  }
}
console.log(JSON.stringify({ codes }));
