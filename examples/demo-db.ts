// `npm run demo`, part two: the seed README's DBConnection, for real. db.impl.ts is plain async
// code on PGlite (Postgres in WebAssembly); here it is used from ordinary synchronous code.
import { api } from "./db.js";

const cities: [string, number][] = [
  ["Lagos", 15_388_000],
  ["Lima", 10_883_000],
  ["Oslo", 709_000],
  ["Osaka", 19_060_000],
  ["Quito", 2_800_000],
];

console.log("\nDBConnection: a real Postgres (PGlite) in the worker, called from plain synchronous code");

async function demo() {
  using db = new api.DBConnection("memory://"); // constructed in the worker; disposed when demo() returns
  const start = performance.now();
  db.connect(); // blocks until Postgres has started
  const took = ((performance.now() - start) / 1000).toFixed(2);
  console.log(`connect: ${db.url}, connected = ${db.connected} (${took} s to start Postgres)`);

  db.execute("CREATE TABLE cities (name text PRIMARY KEY, population int NOT NULL)");
  console.log("execute: created table cities");

  for (const [name, population] of cities) db.query("INSERT INTO cities VALUES ($1, $2)", [name, population]);
  console.log(`query: inserted ${cities.length} rows`);

  // query<Row> is generic: the generated declaration (db.impl.api.d.ts) keeps its type parameter.
  const big = db.query<{ name: string; population: number }>("SELECT name, population FROM cities WHERE population > $1 ORDER BY population DESC", [10_000_000]);
  console.log("query: over 10 million:", big.map((row) => `${row.name} (${row.population})`).join(", "));

  // A real Postgres cursor, fetching two rows at a time, consumed by a plain for...of.
  const names: string[] = [];
  for (const row of db.cursor("SELECT name FROM cities ORDER BY name", [], 2)) names.push(String(row.name));
  console.log("cursor: for...of, two rows per fetch:", names.join(", "));

  // The same method, async: .aio returns a Promise and never blocks.
  const [{ total }] = await db.query.aio("SELECT sum(population)::int AS total FROM cities");
  console.log("query.aio: total population", total);
  return db;
}

const db = await demo();
console.log(`using: disposed on leaving demo(), connected = ${db.connected}`);
