import type { CliIo } from "./context.js";

/** The CLI's io over this process's streams and environment, with the given way to hear SIGINT/SIGTERM. */
export function processIo(onSignal: NonNullable<CliIo["onSignal"]>): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd(), onSignal };
}
