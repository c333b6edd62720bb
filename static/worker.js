// The page's worker: runs executions and owns the workspace's engine and store off the main thread.
// Messages that arrive while the module loads are kept and handed over, in order, once it serves.
const early = [];
self.onmessage = (event) => early.push(event);
const { default: init, serveWorker } = await import("./pkg/statebox.js");
await init();
serveWorker();
for (const event of early) self.onmessage(event);
