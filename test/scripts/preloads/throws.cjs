// A preload (--require) that fails.
throw new TypeError("cjs preload failed");
