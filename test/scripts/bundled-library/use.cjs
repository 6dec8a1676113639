// A CommonJS user of the bundled library.
const { glossary } = require(process.argv[2]);
console.log(JSON.stringify(glossary.define("worker")));
