import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import Database from "better-sqlite3";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { ChildRegistry } from "../helpers/compiled-src.js";

// SIGKILL a real `nianbao crawl` process while it waits for an API page (page 3 of the Fujian sample
// site's 部门年报 column, a POST to /fjdzapp/search), run it again, and check that nothing was lost
// or fetched twice: the API page already done is not asked again, the one in flight is, and every
// report of the column is stored once.
const root = resolve(__dirname, "../..");
const site = join(root, "fixtures/portal/sites/fujian");

interface Served {
  origin: string;
  posts: string[];
  /** Called when page 3 is asked for the first time; that answer is held until the test ends it. */
  onHold: (() => void) | null;
  held: ServerResponse | null;
  close(): Promise<void>;
}

async function serveFujian(): Promise<Served> {
  const s: Served = { origin: "", posts: [], onHold: null, held: null, close: async () => undefined };
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    if (req.method === "POST") {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString("utf8")));
      req.on("end", () => {
        const form = new URLSearchParams(body);
        const page = form.get("page") ?? "";
        s.posts.push(page);
        const file = join(site, "fjdzapp/search", form.get("channelid") ?? "", `${(form.get("classsql") ?? "").replace(/[^\w.-]/g, "_")}_${page}.json`);
        if (page === "3" && s.onHold) {
          s.held = res;
          const hold = s.onHold;
          s.onHold = null;
          hold();
        } else if (path !== "/fjdzapp/search" || !existsSync(file)) {
          res.writeHead(404).end();
        } else {
          res.writeHead(200, { "content-type": "application/json;charset=UTF-8" });
          res.end(readFileSync(file));
        }
      });
      return;
    }
    let file = join(site, path);
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.htm");
    if (!file.startsWith(site) || !existsSync(file)) {
      res.writeHead(404, { "content-type": "text/html" }).end("404");
    } else {
      res.writeHead(200, { "content-type": path.endsWith(".txt") ? "text/plain" : "text/html; charset=utf-8" });
      res.end(readFileSync(file));
    }
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  s.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  s.close = () =>
    new Promise<void>((ok) => {
      server.closeAllConnections();
      server.close(() => ok());
    });
  return s;
}

const children = new ChildRegistry();
const dirs: string[] = [];
afterEach(() => children.killAll());
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function crawl(sources: string, db: string, cwd: string): { exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>; kill(): void } {
  // The CLI from source through tsx: no build needed, a real separate process all the same.
  const tsx = pathToFileURL(join(root, "node_modules/tsx/dist/loader.mjs")).href;
  const child = children.track(spawn(process.execPath, ["--import", tsx, join(root, "src/cli/bin.ts"), "crawl", "--sources", sources, "--db", db, "--delay-ms", "0", "--concurrency", "1", "--per-host", "1", "--quiet", "--json"], {
    cwd,
    stdio: "ignore",
  }));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((ok) => child.on("exit", (code, signal) => ok({ code, signal })));
  return { exit, kill: () => child.kill("SIGKILL") };
}

describe("crawl killed in the middle of API paging", () => {
  it("resumes with nothing lost or fetched twice", async () => {
    const server = await serveFujian();
    const dir = mkdtempSync(join(tmpdir(), "nianbao-api-resume-"));
    dirs.push(dir);
    try {
      const sources = join(dir, "sources.json");
      writeFileSync(sources, JSON.stringify({ sources: [{ id: "fj", name: "示例海县", start: [`${server.origin}/zwgk/zfxxgknb/`] }] }));
      const db = join(dir, "nianbao.db");

      const first = crawl(sources, db, dir);
      const held = new Promise<void>((ok) => (server.onHold = ok));
      const outcome = await Promise.race([held.then(() => "held" as const), first.exit.then(() => "exited" as const)]);
      expect(outcome).toBe("held");
      // Pages are committed in batches at most 250 ms old (group commit): let the batch holding
      // page 2 commit, so the kill lands with page 2 stored and page 3 in flight.
      await new Promise((ok) => setTimeout(ok, 750));
      first.kill();
      expect((await first.exit).signal).toBe("SIGKILL");
      server.held?.destroy();

      const d1 = new Database(db, { readonly: true });
      const apiStates = d1.prepare("SELECT state FROM crawl_frontier WHERE request IS NOT NULL ORDER BY id").pluck().all();
      const storedBefore = d1.prepare("SELECT count(*) FROM pages").pluck().get() as number;
      d1.close();
      // page 2 done, page 3 in flight when the process died
      expect(apiStates).toEqual(["done", "in_progress"]);
      expect(storedBefore).toBeGreaterThanOrEqual(10);
      expect(storedBefore).toBeLessThan(25);

      const second = crawl(sources, db, dir);
      expect(await second.exit).toEqual({ code: 0, signal: null });

      const d2 = new Database(db, { readonly: true });
      const urls = d2.prepare("SELECT url FROM pages ORDER BY url").pluck().all() as string[];
      const reports = d2.prepare("SELECT count(*) FROM reports").pluck().get() as number;
      const api = d2.prepare("SELECT state, request FROM crawl_frontier WHERE request IS NOT NULL ORDER BY id").all() as { state: string; request: string }[];
      d2.close();
      expect(urls).toHaveLength(25);
      expect(new Set(urls).size).toBe(25);
      expect(urls.every((u) => u.includes("/zwgk/zfxxgknb/202501/"))).toBe(true);
      expect(reports).toBe(25);
      expect(api.map((a) => [a.state, (JSON.parse(a.request) as { page: number }).page])).toEqual([
        ["done", 2],
        ["done", 3],
      ]);
      // page 2 asked once; page 3 once when killed and once on resume
      expect(server.posts.sort()).toEqual(["2", "3", "3"]);
    } finally {
      server.held?.destroy();
      await server.close();
    }
  }, 60_000);
});
