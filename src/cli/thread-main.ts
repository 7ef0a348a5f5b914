/**
 * The bounded thread of a long-running command (see bin.ts): runs the CLI with the process's
 * arguments, takes SIGINT/SIGTERM from the main thread, and hands back the exit code.
 */
import { parentPort } from "node:worker_threads";
import { main } from "./main.js";
import { processIo } from "./process-io.js";

const handlers = new Set<(signal: NodeJS.Signals) => void>();
parentPort!.on("message", (m: { signal?: NodeJS.Signals }) => {
  if (!m.signal) return;
  if (handlers.size === 0) parentPort!.postMessage({ unhandled: m.signal });
  for (const h of [...handlers]) h(m.signal);
});

const code = await main(
  process.argv.slice(2),
  processIo((handler) => {
    handlers.add(handler);
    return () => handlers.delete(handler);
  }),
);
parentPort!.postMessage({ code });
parentPort!.close();
