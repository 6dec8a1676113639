// A preload (--import) that fails, as a broken loader or setup file would.
throw new Error("preload failed: missing config");
