// The README's "Calling blocking code asynchronously" sample imports this: the example's own module.
export * from "../../examples/compress.impl.js";
