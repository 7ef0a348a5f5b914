import type { Command } from "commander";
import type { ParsePage } from "../store/ports.js";

/** What a command may touch. Tests pass buffers; the bin passes the process's streams. */
export interface CliIo {
  stdout: { write(chunk: string | Uint8Array): unknown; isTTY?: boolean };
  stderr: { write(chunk: string | Uint8Array): unknown; isTTY?: boolean };
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Registers cleanup to run on SIGINT/SIGTERM (the bin wires it; tests may ignore it). */
  onSignal?: (handler: (signal: NodeJS.Signals) => void) => () => void;
  /** Dependencies a test may replace: the parser (default parseReport) and the clock. */
  deps?: { parse?: ParsePage; now?: () => Date };
}

/**
 * One CLI command: its name, one-line summary, an example, how it declares its options, and what it
 * runs. `run` returns the exit code; it throws `NianbaoError` for input problems (the shell turns
 * those into one line on stderr and exit 2).
 */
export interface CommandModule {
  name: string;
  summary: string;
  example: string;
  configure(cmd: Command): Command;
  run(args: string[], opts: Record<string, unknown>, io: CliIo): Promise<number>;
  /**
   * Rewrite this command's raw arguments before commander sees them, for argument shapes commander
   * cannot declare (e.g. `query -p name value`, an option taking two values).
   */
  normalizeArgv?(args: string[]): string[];
}

/** Read all of stdin as bytes. */
export async function readAll(stream: NodeJS.ReadableStream, maxBytes = Number.POSITIVE_INFINITY): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buf = typeof chunk === "string" ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array);
    size += buf.length;
    if (size > maxBytes) throw new Error(`stdin is larger than ${maxBytes} bytes`);
    chunks.push(buf);
  }
  return new Uint8Array(Buffer.concat(chunks));
}
