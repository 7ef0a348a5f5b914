/**
 * A list entry that links a report file directly is a report: the file is fetched under the same
 * rules as a page (allowHosts, robots, --max-bytes) and read; files not titled like a report
 * (forms, notices) are left alone.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Agent } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCrawl, type CrawlDeps } from "../../src/crawl/crawler.js";
import { MemoryFrontier } from "../../src/crawl/frontier.js";
import { fetchUrl } from "../../src/crawl/http.js";
import { parseSources } from "../../src/crawl/sources.js";
import { MemoryCrawlState } from "../../src/crawl/state.js";
import type { CrawlSummary } from "../../src/crawl/summary.js";
import { decodeBytes } from "../../src/parse/decode.js";
import { MemorySink } from "../crawl/helpers/memory-sink.js";
import { testPolicy } from "../crawl/helpers/policy.js";
import { scriptServer, type Handler, type ScriptServer } from "../crawl/helpers/script-server.js";

const ODD = join(import.meta.dirname, "..", "..", "fixtures", "files", "oddities");
const file = (name: string, type: string): Handler => (_req, res) => {
  res.writeHead(200, { "content-type": type });
  res.end(readFileSync(join(ODD, name)));
};

let srv: ScriptServer;
let summary: CrawlSummary;
let sink: MemorySink;
const dispatcher = new Agent({ keepAliveTimeout: 100, keepAliveMaxTimeout: 100 });

beforeAll(async () => {
  const list = `<html><body><ul>
    <li><a href="/nb/2023.pdf">某县农业农村局2023年政府信息公开工作年度报告.pdf</a></li>
    <li><a href="/nb/2023-word.docx">某县农业农村局2023年政府信息公开工作年度报告（Word版）.docx</a></li>
    <li><a href="/nb/big.pdf">某县农业农村局2022年政府信息公开工作年度报告.pdf</a></li>
    <li><a href="/nb/form.pdf">政府信息公开申请表.pdf</a></li>
  </ul></body></html>`;
  srv = await scriptServer({
    "/": (_req, res) => {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(list);
    },
    "/nb/2023.pdf": file("split-no-header.pdf", "application/pdf"),
    "/nb/2023-word.docx": file("split-no-header.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "/nb/big.pdf": (_req, res) => {
      res.writeHead(200, { "content-type": "application/pdf" });
      res.end(Buffer.concat([Buffer.from("%PDF-1.4\n"), Buffer.alloc(600_000)]));
    },
    "/nb/form.pdf": file("split-no-header.pdf", "application/pdf"),
  });
  sink = new MemorySink();
  const deps: CrawlDeps = { fetch: fetchUrl, decode: decodeBytes, frontier: new MemoryFrontier(), state: new MemoryCrawlState(), sink, dispatcher };
  const sources = parseSources({ sources: [{ id: "files", start: [`${srv.origin}/`] }] });
  summary = await runCrawl(sources, { policy: testPolicy({ maxBytes: 500_000 }) }, deps);
}, 60_000);
afterAll(async () => {
  await srv.close();
  await dispatcher.close();
});

describe("list entries that link report files", () => {
  it("fetches and reads the report files, leaving other files alone", () => {
    const s = summary.sources[0]!;
    expect(s.reports.new).toBe(2);
    expect(s.filesRead).toBe(2);
    expect(s.newReports.map((r) => [r.url.replace(srv.origin, ""), r.agency, r.year]).sort()).toEqual([
      ["/nb/2023-word.docx", "某县农业农村局", 2023],
      ["/nb/2023.pdf", "某县农业农村局", 2023],
    ]);
    expect(srv.hits("/nb/form.pdf")).toBe(0);
  });

  it("a file over --max-bytes is a recorded failure, not a crash", () => {
    const s = summary.sources[0]!;
    expect(s.failures).toEqual([expect.objectContaining({ url: `${srv.origin}/nb/big.pdf`, code: "E_FETCH_TOO_LARGE" })]);
  });
});
