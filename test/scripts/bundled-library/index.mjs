// A small library that offers a blocking API, built from an async implementation. Its bundles
// (dist/index.cjs and dist/index.mjs) and its implementation bundle (dist/glossary.impl.mjs) sit
// side by side, so the relative path below, resolved from the calling file, works in all of them.
import { Synchronizer } from "synchronicity-js";

const synchronizer = new Synchronizer();
export const glossary = synchronizer.wrapModule("./glossary.impl.mjs");
