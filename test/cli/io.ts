import { Readable } from "node:stream";
import type { CliIo } from "../../src/cli/context.js";
import { main } from "../../src/cli/main.js";
import type { ParsePage } from "../../src/store/ports.js";

/** Run the CLI in-process with buffer streams; returns the exit code and what it wrote. */
export async function runCli(argv: string[], options: { cwd?: string; stdin?: string | Uint8Array; parse?: ParsePage; env?: NodeJS.ProcessEnv } = {}) {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdout: { write: (c: string | Uint8Array) => (stdout += typeof c === "string" ? c : Buffer.from(c).toString("utf8")) },
    stderr: { write: (c: string | Uint8Array) => (stderr += typeof c === "string" ? c : Buffer.from(c).toString("utf8")) },
    stdin: Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin)]),
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    deps: options.parse ? { parse: options.parse } : undefined,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}
