#!/usr/bin/env node
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { main } from "./main.js";
import { processIo } from "./process-io.js";

/**
 * Commands that run for a long time (a crawl, a schedule of crawls) run in a worker thread with a
 * bounded heap, so the process's memory stays flat over a crawl of any length. On the main thread
 * V8 collects lazily and lets its heap grow with the pages that pass through it (measured: a
 * 10,000-report crawl peaked at 325–347 MB RSS in-thread, ~265 MB in this thread, at the same speed).
 * The main thread only forwards signals (SIGINT/SIGTERM: finish the pages in flight) and exits
 * with the command's code.
 */
const BOUNDED = new Set(["crawl", "schedule"]);
/**
 * The bounded thread's heap. What keeps memory flat is mostly the small young generation (the
 * default lets ~48 MB of short-lived page data be promoted and collected late); the old generation's
 * cap (a crawl's live set is ~25 MB, plus its summary: ~300 bytes per new report) is there so V8
 * collects before growing far. Measured at 10,000 reports: 256/16 MB → 247 MB RSS, 512/16 → 265,
 * 1024/16 → 270, the defaults → 347.
 */
export const CRAWL_HEAP = { maxOldGenerationSizeMb: 512, maxYoungGenerationSizeMb: 16 };

const argv = process.argv.slice(2);
const threadUrl = new URL("./thread-main.js", import.meta.url);

function inThisThread(): Promise<number> {
  return main(
    argv,
    processIo((handler) => {
      process.on("SIGINT", handler);
      process.on("SIGTERM", handler);
      return () => {
        process.off("SIGINT", handler);
        process.off("SIGTERM", handler);
      };
    }),
  );
}

function inBoundedThread(): Promise<number> {
  // The thread's output reaches stdout through this thread, later than a direct write would: a
  // reader that has gone (`nianbao crawl --help | head -3`) is no error of ours.
  for (const out of [process.stdout, process.stderr]) out.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code !== "EPIPE") throw e;
  });
  return new Promise((resolve) => {
    const worker = new Worker(threadUrl, { argv, env: process.env, resourceLimits: CRAWL_HEAP });
    const forward = (signal: NodeJS.Signals) => worker.postMessage({ signal });
    process.on("SIGINT", forward);
    process.on("SIGTERM", forward);
    let code = 1;
    worker.on("message", (m: { code?: number; unhandled?: NodeJS.Signals }) => {
      if (typeof m.code === "number") code = m.code;
      // Nobody in the thread listens for that signal: its default action, as in a plain process.
      if (m.unhandled) {
        process.off("SIGINT", forward);
        process.off("SIGTERM", forward);
        process.kill(process.pid, m.unhandled);
      }
    });
    worker.on("error", (e: Error & { code?: string }) => {
      process.stderr.write(
        e.code === "ERR_WORKER_OUT_OF_MEMORY"
          ? `nianbao: internal error: the ${argv[0]} thread used up its ${CRAWL_HEAP.maxOldGenerationSizeMb} MB heap\n`
          : `nianbao: internal error: ${e.stack ?? e.message}\n`,
      );
      code = 1;
    });
    worker.on("exit", () => {
      process.off("SIGINT", forward);
      process.off("SIGTERM", forward);
      resolve(code);
    });
  });
}

// From source (tsx) there is no built thread module: run in this thread.
const bounded = BOUNDED.has(argv[0] ?? "") && existsSync(fileURLToPath(threadUrl));
process.exitCode = await (bounded ? inBoundedThread() : inThisThread());
