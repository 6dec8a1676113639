// Lint: the recommended rules of ESLint and typescript-eslint, with type information for src/.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "build/", "node_modules/", "coverage/", "packages/*/build/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: "readonly",
        console: "readonly",
        setTimeout: "readonly",
        clearTimeout: "readonly",
        setInterval: "readonly",
        clearInterval: "readonly",
        setImmediate: "readonly",
        Buffer: "readonly",
        URL: "readonly",
        performance: "readonly",
        structuredClone: "readonly",
        SharedArrayBuffer: "readonly",
        Atomics: "readonly",
        DOMException: "readonly",
        AbortController: "readonly",
        AbortSignal: "readonly",
        FinalizationRegistry: "readonly",
        WeakRef: "readonly",
        Blob: "readonly",
        ReadableStream: "readonly",
        globalThis: "readonly",
        crypto: "readonly",
        TextEncoder: "readonly",
        TextDecoder: "readonly",
      },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-constant-condition": ["error", { checkLoops: false }],
    },
  },
  {
    files: ["src/**/*.ts"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/await-thenable": "error",
    },
  },
  {
    // The native helper's loader is CommonJS, as native addons are loaded with require(); test scripts check CommonJS callers.
    files: ["**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: { module: "writable", exports: "writable", require: "readonly", __dirname: "readonly", __filename: "readonly" } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    // Type tests declare values only to inspect their types, and assign only to provoke errors.
    files: ["test/types/**/*.ts"],
    // AsyncGenerator<T> defaults its TReturn and TNext to any: the expected types must say so.
    rules: { "@typescript-eslint/no-unused-vars": "off", "no-self-assign": "off", "@typescript-eslint/no-explicit-any": "off" },
  },
);
