// A preload that never finishes (a loader waiting for something that never comes).
setInterval(() => {}, 1000);
await new Promise(() => {});
