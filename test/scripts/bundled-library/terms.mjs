export const terms = { worker: "a thread with its own event loop" };
