/**
 * The architecture's rules, checked by `npm run lint:arch` (part of `npm test`). Each rule's name
 * is what a violation prints; docs/ARCHITECTURE.md ("Layers") says why each one exists.
 *
 * Caller layers, lowest first: support, host, wire, remote, api. A layer imports only from the
 * layers below it (and from protocol/, the shared files at src/'s root, and caller/'s own leaves,
 * package-resolution.ts and package-conditions.ts, which stay self-contained because a test
 * transpiles the two alone).
 */
const callerLayers = ["support", "host", "wire", "remote", "api"];

/** One rule per layer: nothing from the layers above it. */
const downwardOnly = callerLayers.slice(0, -1).map((layer, i) => ({
  name: `caller-${layer}-imports-downward-only`,
  comment: `caller/${layer}/ is below ${callerLayers.slice(i + 1).join(", ")}: it must not import them (receive what you need from above as hooks, at construction)`,
  severity: "error",
  from: { path: `^src/caller/${layer}/` },
  to: { path: `^src/caller/(${callerLayers.slice(i + 1).join("|")})/` },
}));

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "src/ has no import cycles, type-only imports included: every module can be read after the ones it imports",
      severity: "error",
      from: { path: "^src/" },
      to: { circular: true },
    },
    {
      name: "protocol-is-shared",
      comment: "protocol/ is what both sides agree on: it imports nothing from caller/ or worker/",
      severity: "error",
      from: { path: "^src/protocol/" },
      to: { path: "^src/(caller|worker)/" },
    },
    {
      name: "caller-imports-worker-types-only",
      comment: "caller/ runs in the caller's thread: from worker/ it may import types only (code shared by both sides belongs in protocol/)",
      severity: "error",
      from: { path: "^src/caller/" },
      to: { path: "^src/worker/", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "worker-imports-caller-types-only",
      comment: "worker/ runs in the worker threads: from caller/ it may import types only (code shared by both sides belongs in protocol/)",
      severity: "error",
      from: { path: "^src/worker/" },
      to: { path: "^src/caller/", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "types-are-type-only",
      comment: "types/ holds type declarations only: it imports only types, and is imported only as types",
      severity: "error",
      from: { path: "^src/types/" },
      to: { path: "^src/", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "types-imported-as-types",
      comment: "types/ holds type declarations only: import it with `import type`",
      severity: "error",
      from: { path: "^src/", pathNot: "^src/types/" },
      to: { path: "^src/types/", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "caller-root-is-leaf",
      comment: "a file directly in caller/ (package-resolution.ts and package-conditions.ts, which a test transpiles on their own) sits below every layer: it imports none of them",
      severity: "error",
      from: { path: "^src/caller/[^/]+$" },
      to: { path: `^src/caller/(${callerLayers.join("|")})/` },
    },
    ...downwardOnly,
  ],
  options: {
    // Type-only imports count (for cycles, and to tell them apart from value imports).
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    includeOnly: "^src/",
    doNotFollow: { path: "node_modules" },
    reporterOptions: {
      mermaid: { minify: false },
    },
  },
};
