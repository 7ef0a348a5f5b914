// Worker bootstrap for tests: registers tsx in this worker thread, then loads the TypeScript
// worker named in workerData (production workers are the built .js files and need none of this).
import { register } from "tsx/esm/api";
import { workerData } from "node:worker_threads";

register();
await import(workerData.tsWorker);
