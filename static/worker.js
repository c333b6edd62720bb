// The page's worker: runs executions and owns the workspace's engine and store off the main thread.
import init, { serveWorker } from "./pkg/statebox.js";
await init();
serveWorker();
