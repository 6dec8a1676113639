// A preload that works: it leaves a mark the implementation can read.
globalThis.preloadRan = true;
