/**
 * vitest globalSetup: the whole run gets one private temp folder (TMPDIR, which os.tmpdir() and so
 * every test's mkdtemp use), removed at the end whatever is in it. A test that leaves a folder or
 * file of its own behind fails the run here, named, so leaks are fixed where they start instead of
 * piling up in the machine's temp folder.
 */
import { chmodSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Left by tools, not by our tests (tsx's compile cache, vitest's own files). */
const NOT_OURS = /^(tsx-\d+|vitest-.*|\.vitest.*|node-compile-cache)$/;

export default function setup(): () => void {
  const previous = process.env["TMPDIR"];
  const root = mkdtempSync(join(tmpdir(), "nianbao-test-run-"));
  // Traversable by others: tests that run the CLI as an unprivileged user hand it a folder in here.
  chmodSync(root, 0o755);
  process.env["TMPDIR"] = root;
  return () => {
    let left: string[] = [];
    try {
      left = readdirSync(root).filter((n) => !NOT_OURS.test(n));
    } finally {
      rmSync(root, { recursive: true, force: true });
      if (previous === undefined) delete process.env["TMPDIR"];
      else process.env["TMPDIR"] = previous;
    }
    if (left.length) throw new Error(`tests left ${left.length} item(s) in the temp folder (removed now; fix the test that made them): ${left.join(", ")}`);
  };
}
