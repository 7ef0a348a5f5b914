import Database from "better-sqlite3";
import { readFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import type { CrawlSummary } from "../../src/crawl/summary.js";
import { captureIo } from "./helpers.js";

/**
 * A source that yields nothing is a failure of that source, named in the summary with what to do,
 * and the crawl exits 3 so a cron job notices. A start URL that is itself a report is stored.
 */
const REPORT = readFileSync(join(import.meta.dirname, "../../fixtures/reports/html-2021-pingtan-zrz/input.html"));
const HOME = Buffer.from('<html><head><title>某县人民政府</title></head><body><a href="/news/">新闻动态</a> <a href="/about/">走进某县</a></body></html>');

const LIST = Buffer.from(
  '<html><head><title>政府信息公开年报</title></head><body><ul><li><a href="/notice/1.html">某县2023年政府信息公开工作年度报告</a></li><li><a href="/notice/2.html">某县2022年政府信息公开工作年度报告</a></li></ul></body></html>',
);
const NOTICE = Buffer.from("<html><head><title>通知</title></head><body><p>本页面已迁移，请访问新网站查看。</p></body></html>");

let server: Server;
let origin: string;
let dir: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    const body =
      req.url === "/nb/2024.html" ? REPORT
      : req.url === "/" || req.url === "/news/" || req.url === "/about/" ? HOME
      : req.url === "/list/" ? LIST
      : req.url?.startsWith("/notice/") ? NOTICE
      : null;
    if (!body) return void res.writeHead(404).end("not found");
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(body);
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = mkdtempSync(join(tmpdir(), "nianbao-source-fail-"));
});
afterAll(async () => {
  await new Promise<void>((ok) => server.close(() => ok()));
  rmSync(dir, { recursive: true, force: true });
});

async function crawl(name: string, start: string) {
  writeFileSync(join(dir, `${name}.json`), JSON.stringify({ sources: [{ id: name, region: "福建省平潭综合实验区", start: [start] }] }));
  const io = captureIo(dir, { NIANBAO_RETRIES: "0", NIANBAO_MAX_ATTEMPTS: "1" });
  const code = await main(["crawl", "--sources", `${name}.json`, "--db", `${name}.db`, "--delay-ms", "0", "--quiet", "--contact", "t@example.org"], io);
  const json = captureIo(dir, { NIANBAO_RETRIES: "0", NIANBAO_MAX_ATTEMPTS: "1" });
  await main(["crawl", "--sources", `${name}.json`, "--db", `${name}-j.db`, "--delay-ms", "0", "--quiet", "--json", "--contact", "t@example.org"], json);
  return { code, out: io.out(), summary: JSON.parse(json.out()) as CrawlSummary };
}

describe("crawl: a source that yields nothing", () => {
  it("an unreachable portal is a failure of that source, with what to do; exit 3", async () => {
    const closed = createServer();
    await new Promise<void>((ok) => closed.listen(0, "127.0.0.1", ok));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((ok) => closed.close(() => ok()));
    const r = await crawl("down", `http://127.0.0.1:${port}/`);
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/down \(down\) — FAILED/);
    expect(r.out).toMatch(/FAILED: cannot reach the portal: http:\/\/127\.0\.0\.1:\d+\/: .* \[E_FETCH_NETWORK\]/);
    expect(r.out).toMatch(/what to do: check the start URL/);
    expect(r.summary.sources[0]?.failure?.code).toBe("E_FETCH_NETWORK");
    // schedule --once, the cron user's one-shot, exits the same way.
    const once = captureIo(dir, { NIANBAO_RETRIES: "0", NIANBAO_MAX_ATTEMPTS: "1" });
    expect(await main(["schedule", "--once", "--sources", "down.json", "--db", "down-once.db", "--delay-ms", "0", "--quiet", "--contact", "t@example.org"], once)).toBe(3);
  });

  it("a start page with no 年报 column is a failure naming the page and asking for the column's URL; exit 3", async () => {
    const r = await crawl("nocol", `${origin}/`);
    expect(r.code).toBe(3);
    expect(r.out).toContain(`FAILED: no 年报 column found from ${origin}/ [E_NO_ANNUAL_COLUMN]`);
    expect(r.out).toMatch(/give that column's URL as start/);
  });

  it("a source whose every report page fails is a failure (E_SOURCE_FAILED); exit 3", async () => {
    const r = await crawl("allbad", `${origin}/list/`);
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/FAILED: every report page failed \(2; reasons listed above\) \[E_SOURCE_FAILED\]/);
  });

  it("a start URL that is a report page is stored as a report; exit 0", async () => {
    const r = await crawl("direct", `${origin}/nb/2024.html`);
    expect(r.code, r.out).toBe(0);
    expect(r.summary.sources[0]?.reports.new).toBe(1);
    expect(r.summary.sources[0]?.newReports[0]).toMatchObject({ agency: "平潭综合实验区自然资源与生态环境局", year: 2024 });
    expect(r.summary.sources[0]?.failure).toBeNull();
    // reports_latest says where the report came from: the source and its region.
    const db = new Database(join(dir, "direct.db"), { readonly: true });
    expect(db.prepare("SELECT source_id, region, incomplete, error_count FROM reports_latest").all()).toEqual([{ source_id: "direct", region: "福建省平潭综合实验区", incomplete: 0, error_count: 0 }]);
    db.close();
  });
});
