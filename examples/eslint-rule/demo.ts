// `tsx examples/eslint-rule/demo.ts`: lints a snippet with the valid-sql rule.
import { ESLint } from "eslint";
import { plugin } from "./rule.js";

const eslint = new ESLint({
  overrideConfigFile: true,
  overrideConfig: {
    plugins: { db: plugin },
    rules: { "db/valid-sql": ["error", { schema: "create table users (id int primary key, name text)" }] },
  },
});

const code = [
  "const byId = sql`select name from users where id = ${id}`;",
  "const typo = sql`select nme from users`;",
  "const broken = sql`selec * from users`;",
].join("\n");

const [result] = await eslint.lintText(code, { filePath: "queries.js" });
for (const message of result.messages) console.log(`${message.line}:${message.column} ${message.message}`);
