import { spawn } from "node:child_process";
import { chmodSync, chownSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Run the CLI (from source, through tsx) in a child process as a user that file permissions apply
 * to: this user, or "nobody" (65534) when the tests run as root, since root ignores permissions.
 * Killed after `timeoutMs` so a CLI that hangs fails the test instead of stalling it.
 */
export const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const asRoot = process.getuid?.() === 0;
const other = 65534;

/** Give a folder to the user the CLI runs as, so it can create files there before we lock it. */
export function handOver(path: string): void {
  if (asRoot) chownSync(path, other, other);
  chmodSync(path, 0o755);
}

export function runCliAs(argv: string[], options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<{ code: number | null; stdout: string; stderr: string; timedOut: boolean }> {
  return new Promise((ok) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(root, "src/cli/bin.ts"), ...argv], {
      cwd: root,
      env: { PATH: process.env["PATH"] ?? "", HOME: "/tmp", ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
      ...(asRoot ? { uid: other, gid: other } : {}),
    });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
    const t = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, options.timeoutMs ?? 25_000);
    child.on("exit", (code) => {
      clearTimeout(t);
      ok({ code, stdout, stderr, timedOut });
    });
  });
}
