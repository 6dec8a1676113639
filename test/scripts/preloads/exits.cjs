// A preload that ends the thread on purpose.
process.exit(7);
