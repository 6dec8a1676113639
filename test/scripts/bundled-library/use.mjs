// An ES module user of the bundled library.
const { glossary } = await import(process.argv[2]);
console.log(JSON.stringify(await glossary.define.aio("worker")));
