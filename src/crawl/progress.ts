import type { CrawlProgress } from "./crawler.js";

export interface ProgressStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

export interface ProgressReporter {
  update(p: CrawlProgress): void;
  /** Clear the live line (TTY) before the summary is printed. */
  finish(): void;
}

export function formatProgress(p: CrawlProgress): string {
  const secs = Math.max(0.001, (p.now - p.startedAt) / 1000);
  return `crawl: ${p.pagesDone} pages done, ${p.queued} queued, ${p.reportsFound} reports, ${p.errors} errors, ${(p.pagesDone / secs).toFixed(1)} pages/s`;
}

/**
 * Progress on stderr: a live line redrawn in place on a terminal (at most every 100 ms), a plain
 * line every few seconds otherwise (logs, CI), nothing with --quiet.
 */
export function createProgress(stream: ProgressStream, opts: { quiet?: boolean; intervalMs?: number; now?: () => number } = {}): ProgressReporter {
  if (opts.quiet) return { update() {}, finish() {} };
  const now = opts.now ?? Date.now;
  const tty = stream.isTTY === true;
  const every = tty ? 100 : (opts.intervalMs ?? 5000);
  let last = 0;
  let drawn = false;
  return {
    update(p) {
      const t = now();
      if (t - last < every) return;
      last = t;
      if (tty) {
        stream.write(`\r\x1b[K${formatProgress(p)}`);
        drawn = true;
      } else stream.write(`${formatProgress(p)}\n`);
    },
    finish() {
      if (tty && drawn) stream.write("\r\x1b[K");
    },
  };
}
