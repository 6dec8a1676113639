// An ESLint rule whose check needs async code: every sql`...` template is checked against the
// schema by a real Postgres, from ESLint's synchronous visitor, through a blocking call.
import type { Rule } from "eslint";
import type { TaggedTemplateExpression } from "estree";
import { Synchronizer } from "synchronicity-js";

const synchronizer = new Synchronizer();
const api = synchronizer.wrapModule<typeof import("./sql-checker.impl.js")>(new URL("./sql-checker.impl.ts", import.meta.url));
type Checker = ReturnType<typeof api.SqlChecker.create>;

const checkers = new Map<string, Checker>(); // one checker (one Postgres in the worker) per schema

export const validSql: Rule.RuleModule = {
  meta: {
    type: "problem",
    docs: { description: "SQL in sql`...` templates must parse and name existing tables and columns" },
    schema: [{ type: "object", properties: { schema: { type: "string" } }, required: ["schema"], additionalProperties: false }],
  },
  create(context) {
    const { schema } = context.options[0] as { schema: string };
    let checker = checkers.get(schema);
    if (!checker) checkers.set(schema, (checker = api.SqlChecker.create(schema))); // blocking
    const sqlChecker = checker;
    return {
      TaggedTemplateExpression(node: TaggedTemplateExpression) {
        if (node.tag.type !== "Identifier" || node.tag.name !== "sql") return;
        // Each ${...} becomes a parameter ($1, $2, ...), as a driver would send it.
        const statement = node.quasi.quasis.map((quasi, i) => (i === 0 ? "" : `$${i}`) + quasi.value.cooked).join("");
        const problem = sqlChecker.check(statement); // blocking
        if (problem) context.report({ node, message: `SQL: ${problem.message}` });
      },
    };
  },
};

export const plugin = { rules: { "valid-sql": validSql } };
