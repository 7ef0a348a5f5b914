import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { SAMPLE_PORTAL_DIR } from "./sample-portal.js";

/**
 * A generated TRS-style portal of any size, kept in memory: home → 政府信息公开 → 年报 column with
 * createPageHTML pagination → report pages (the sample portal's report pages with a different
 * agency each, so every page has its own bytes). Used by the resume tests and the benchmark.
 */
export interface SyntheticPortal {
  origin: string;
  host: string;
  reports: number;
  /** Pages the portal has (home, platform, list pages, reports). */
  pages: number;
  requests: () => number;
  sources(): { sources: { id: string; name: string; start: string[]; allowHosts: string[] }[] };
  close(): Promise<void>;
}

const TEMPLATES = [
  "sites/trs/zfxxgk/zfxxgknb/202401/t20240125_1001.html",
  "sites/trs/zfxxgk/zfxxgknb/202101/t20210122_0701.html",
  "sites/trs/zfxxgk/zfxxgknb/202201/t20220121_0801.html",
];

export interface SyntheticPortalOptions {
  reports: number;
  /** Report links per list page (default 20). */
  perPage?: number;
  templatesDir?: string;
  /**
   * Pad every report page with about this many bytes of portal chrome (menus, footer, an inline
   * script and styles), as real portals have: the sample pages are 5–10 KB, real ones ~30–60 KB.
   * Default 0 (the sample pages as they are).
   */
  chromeBytes?: number;
}

/** Portal chrome of about `bytes` bytes: a menu (links back to pages the crawler already knows), styles, a script. */
function portalChrome(bytes: number): { head: string; top: string; bottom: string } {
  if (bytes <= 0) return { head: "", top: "", bottom: "" };
  const menu: string[] = [];
  const script: string[] = [];
  const style: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const m = `<li class="menu-item"><a href="/zfxxgk/" title="栏目${i}">政务公开栏目名称${i}</a></li>\n`;
    const j = `  window.__portal.nav[${i}] = { id: "col${1000 + i}", title: "栏目${i}", visible: ${i % 2 === 0} };\n`;
    const c = `.menu-item-${i} { color: #${(i * 4099).toString(16).padStart(6, "0").slice(-6)}; margin: ${i % 7}px; }\n`;
    menu.push(m);
    script.push(j);
    style.push(c);
    size += Buffer.byteLength(m) + Buffer.byteLength(j) + Buffer.byteLength(c);
  }
  return {
    head: `<style>\n${style.join("")}</style>`,
    top: `<div class="top"><ul class="menu">\n${menu.join("")}</ul></div>`,
    bottom: `<div class="footer">主办：合成市人民政府办公室 网站标识码 0000000000</div><script>\nwindow.__portal = { nav: [] };\n${script.join("")}</script>`,
  };
}

export async function startSyntheticPortal(opts: SyntheticPortalOptions): Promise<SyntheticPortal> {
  const perPage = opts.perPage ?? 20;
  const dir = opts.templatesDir ?? SAMPLE_PORTAL_DIR;
  const chrome = portalChrome(opts.chromeBytes ?? 0);
  const templates = TEMPLATES.map((t) => readFileSync(join(dir, t), "utf8")).map((t) =>
    chrome.top ? t.replace("</head>", `${chrome.head}</head>`).replace(/<body([^>]*)>/, `<body$1>${chrome.top}`).replace("</body>", `${chrome.bottom}</body>`) : t,
  );
  const files = new Map<string, { body: Buffer; etag: string }>();
  const put = (path: string, text: string) => {
    const body = Buffer.from(text);
    files.set(path, { body, etag: `"${createHash("sha1").update(body).digest("hex").slice(0, 16)}"` });
  };
  const shell = (title: string, body: string) => `<!DOCTYPE html><html><head><meta charset="UTF-8" /><title>${title}</title></head><body>${body}</body></html>`;
  put("/", shell("合成市人民政府", `<a href="/zfxxgk/">政府信息公开</a> <a href="/xwzx/">新闻中心</a>`));
  put("/zfxxgk/", shell("政府信息公开", `<a href="./zfxxgkzn/">政府信息公开指南</a> <a href="./zfxxgknb/">政府信息公开年报</a>`));
  const listPages = Math.max(1, Math.ceil(opts.reports / perPage));
  const reportAt = new Map<string, number>();
  const report = (i: number) => {
    const body = Buffer.from(templates[i % templates.length]!.replace(/示例市人民政府/g, `合成市第${i + 1}局`).replace(/\b20(19|2[0-4])年/, `${2019 + (i % 5)}年`));
    return { body, etag: `"${createHash("sha1").update(body).digest("hex").slice(0, 16)}"` };
  };
  for (let p = 0; p < listPages; p++) {
    const items: string[] = [];
    for (let i = p * perPage; i < Math.min(opts.reports, (p + 1) * perPage); i++) {
      const agency = `合成市第${i + 1}局`;
      const year = 2019 + (i % 5);
      const href = `./${year + 1}01/t${year + 1}0120_${i + 1}.html`;
      items.push(`<li><a href="${href}" title="${agency}${year}年政府信息公开工作年度报告">${agency}${year}年政府信息公开工作年度报告</a></li>`);
      // Report pages are rendered when asked for, so a portal of 100,000 reports stays small.
      reportAt.set(`/zfxxgk/zfxxgknb/${href.slice(2)}`, i);
    }
    const name = p === 0 ? "/zfxxgk/zfxxgknb/" : `/zfxxgk/zfxxgknb/index_${p}.html`;
    put(name, shell("政府信息公开年报", `<ul>${items.join("")}</ul><script>var countPage = ${listPages};createPageHTML(countPage, ${p}, "index", "html");</script>`));
  }
  let requests = 0;
  const server: Server = createServer((req, res) => {
    requests++;
    let path = (req.url ?? "/").split("?")[0]!;
    if (path.endsWith("/index.html")) path = path.slice(0, -"index.html".length);
    const r = reportAt.get(path);
    const f = r === undefined ? files.get(path) : report(r);
    if (!f) {
      res.writeHead(404, { "content-type": "text/html" });
      res.end("404");
      return;
    }
    if (req.headers["if-none-match"] === f.etag) {
      res.writeHead(304, { etag: f.etag });
      res.end();
      return;
    }
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", etag: f.etag, "content-length": String(f.body.length) });
    res.end(f.body);
  });
  // 5 s, Node's default: undici reuses a connection only when the advertised keep-alive exceeds its
  // 2 s safety margin, so 2 s would make every request open a new connection.
  server.keepAliveTimeout = 5000;
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  const origin = `http://${host}`;
  return {
    origin,
    host,
    reports: opts.reports,
    pages: files.size + reportAt.size,
    requests: () => requests,
    sources: () => ({ sources: [{ id: "synthetic", name: "合成门户", start: [`${origin}/`], allowHosts: [host] }] }),
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
