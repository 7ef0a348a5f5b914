import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

/**
 * A static web server for recorded portal pages (fixtures/portal/sites/<dir>/), used by
 * `npm start` (the demo), the crawl tests and the benchmark. It behaves like a real portal where
 * it matters to a crawler: ETag/Last-Modified and 304, gzip, robots.txt, per-site charsets (and a
 * deliberately wrong one), scripted faults, Hanweb's dataproxy.jsp mapped to recorded XML, and the
 * POST APIs list pages call (TRS 动静结合's /fjdzapp/search, 新点 WebBuilder) mapped to recorded JSON.
 */

/** fixtures/portal, found from this file in src/crawl or dist/crawl. */
export const SAMPLE_PORTAL_DIR = resolve(fileURLToPath(new URL("../../fixtures/portal/", import.meta.url)));

export interface SiteConfig {
  /** Charset named in Content-Type for .html/.htm (default utf-8). */
  charset?: string;
  /** Per-path charset for the header, to serve a page with a wrong label. */
  headerCharset?: Record<string, string>;
  /** Per-path scripted answers. */
  faults?: Record<string, { status: number; headers?: Record<string, string>; body?: string }>;
  /** Hanweb: file template for dataproxy.jsp answers, e.g. "module/web/jpage/dataproxy/{columnid}_{startrecord}.xml". */
  dataproxy?: string;
  /**
   * POST APIs: path → file template over the form fields (a field holding a JSON object adds its
   * keys), e.g. "/fjdzapp/search" → "fjdzapp/search/{channelid}/{classsql}_{page}.json". Values are
   * made file-safe (anything but letters, digits, `.`, `-` becomes `_`). Answers carry no validators.
   */
  posts?: Record<string, string>;
  /** Charset named in Content-Type for .json answers (default utf-8; "none" names none). */
  jsonCharset?: string;
}

export interface RequestLogEntry {
  site: string;
  method: string;
  path: string;
  status: number;
  /** performance.now() at arrival, ms. */
  at: number;
  userAgent: string | null;
  /** The POST body, the X-Requested-With and Referer headers (the crawler's API requests are checked by them). */
  body?: string;
  xhr?: string | null;
  referer?: string | null;
}

export interface ServedSite {
  id: string;
  dir: string;
  origin: string;
  host: string;
  server: Server;
}

const TYPES: Record<string, string> = {
  ".html": "text/html",
  ".htm": "text/html",
  ".shtml": "text/html",
  ".xml": "text/xml; charset=UTF-8",
  ".json": "application/json; charset=UTF-8",
  ".txt": "text/plain; charset=UTF-8",
  ".pdf": "application/pdf",
  ".doc": "application/msword",
  ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
};

function readConfig(root: string): SiteConfig {
  const f = join(root, "_site.json");
  return existsSync(f) ? (JSON.parse(readFileSync(f, "utf8")) as SiteConfig) : {};
}

/** Serve one site directory on 127.0.0.1 (port 0 = any free port). */
export async function serveSite(id: string, root: string, log: RequestLogEntry[] | null, port = 0): Promise<ServedSite> {
  const config = readConfig(root);
  const cache = new Map<string, { body: Buffer; etag: string; mtime: Date }>();
  const server = createServer((req, res) => {
    if (req.method !== "POST") return handle(id, root, config, cache, log, req, res, null);
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => handle(id, root, config, cache, log, req, res, Buffer.concat(chunks).toString("utf8")));
  });
  server.keepAliveTimeout = 2000;
  await new Promise<void>((ok) => server.listen(port, "127.0.0.1", ok));
  const addr = server.address() as AddressInfo;
  const host = `127.0.0.1:${addr.port}`;
  return { id, dir: root, origin: `http://${host}`, host, server };
}

function handle(
  site: string,
  root: string,
  config: SiteConfig,
  cache: Map<string, { body: Buffer; etag: string; mtime: Date }>,
  log: RequestLogEntry[] | null,
  req: IncomingMessage,
  res: ServerResponse,
  posted: string | null,
): void {
  const at = performance.now();
  const url = new URL(req.url ?? "/", "http://x");
  const path = decodeURIComponent(url.pathname);
  const send = (status: number, headers: Record<string, string>, body?: Buffer | string) => {
    log?.push({
      site,
      method: req.method ?? "GET",
      path: path + url.search,
      status,
      at,
      userAgent: req.headers["user-agent"] ?? null,
      ...(posted !== null ? { body: posted } : {}),
      xhr: (req.headers["x-requested-with"] as string | undefined) ?? null,
      referer: req.headers.referer ?? null,
    });
    res.writeHead(status, headers);
    res.end(req.method === "HEAD" ? undefined : body);
  };
  const fault = config.faults?.[path];
  if (fault) return send(fault.status, { "content-type": "text/html; charset=utf-8", ...fault.headers }, fault.body ?? `<html><body>HTTP ${fault.status}</body></html>`);

  let rel = path;
  if (req.method === "POST") {
    const template = config.posts?.[path];
    if (!template || posted === null) return send(405, { "content-type": "text/html; charset=utf-8", allow: "GET, HEAD" }, "<html><body>405</body></html>");
    const fields = formFields(posted);
    rel = "/" + template.replace(/\{(\w+)\}/g, (_, k: string) => (fields[k] ?? "").replace(/[^\w.-]/g, "_"));
    const file = normalize(join(root, rel));
    if (!file.startsWith(resolve(root) + sep) || !existsSync(file)) return send(404, { "content-type": "application/json; charset=utf-8" }, '{"error":"no such page"}');
    return send(200, { "content-type": jsonType(config) }, readFileSync(file));
  }
  if (config.dataproxy && /\/dataproxy\.jsp$/.test(path)) {
    rel = "/" + config.dataproxy.replace(/\{(\w+)\}/g, (_, k: string) => url.searchParams.get(k) ?? "");
  }
  let file = normalize(join(root, rel));
  if (!file.startsWith(resolve(root) + sep) && file !== resolve(root)) return send(403, {}, "forbidden");
  if (existsSync(file) && statSync(file).isDirectory()) {
    if (!path.endsWith("/")) return send(301, { location: path + "/" });
    const index = ["index.html", "index.htm", "index.shtml"].map((f) => join(file, f)).find((f) => existsSync(f));
    if (!index) return send(404, { "content-type": "text/html" }, "<html><body>404</body></html>");
    file = index;
  }
  if (!existsSync(file) || /[\\/]_site\.json$/.test(file)) return send(404, { "content-type": "text/html; charset=utf-8" }, "<html><body>404 页面不存在</body></html>");

  let entry = cache.get(file);
  if (!entry) {
    const body = readFileSync(file);
    entry = { body, etag: `"${createHash("sha1").update(body).digest("hex").slice(0, 16)}"`, mtime: statSync(file).mtime };
    cache.set(file, entry);
  }
  const ext = extname(file).toLowerCase();
  let type = ext === ".json" ? jsonType(config) : (TYPES[ext] ?? "application/octet-stream");
  if (type === "text/html") type = `text/html; charset=${config.headerCharset?.[path] ?? config.charset ?? "utf-8"}`;
  const lastModified = new Date(Math.floor(entry.mtime.getTime() / 1000) * 1000).toUTCString();
  const headers: Record<string, string> = { "content-type": type, etag: entry.etag, "last-modified": lastModified };
  const inm = req.headers["if-none-match"];
  const ims = req.headers["if-modified-since"];
  if ((inm && inm === entry.etag) || (!inm && ims && Date.parse(ims) >= Date.parse(lastModified))) return send(304, headers);
  if (/\bgzip\b/.test(String(req.headers["accept-encoding"] ?? "")) && /^text\//.test(type) && entry.body.length > 1024) {
    return send(200, { ...headers, "content-encoding": "gzip", vary: "accept-encoding" }, gzipSync(entry.body));
  }
  send(200, headers, entry.body);
}

function jsonType(config: SiteConfig): string {
  const cs = config.jsonCharset ?? "utf-8";
  return cs === "none" ? "application/json" : `application/json; charset=${cs}`;
}

/** Form fields of a urlencoded body; a field holding a JSON object also gives its keys. */
function formFields(body: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(body)) {
    out[k] = v;
    if (/^\s*\{/.test(v)) {
      try {
        for (const [jk, jv] of Object.entries(JSON.parse(v) as Record<string, unknown>)) out[jk] ??= String(jv);
      } catch {
        /* not JSON after all */
      }
    }
  }
  return out;
}

export interface PortalManifest {
  /** `start` is one path or several (a site whose department columns are linked only by script lists them). */
  sites: { id: string; name: string; region?: string; dir: string; start: string | string[] }[];
}

export interface RunningPortal {
  sites: (ServedSite & { name: string; region: string | null; startUrl: string; startUrls: string[] })[];
  /** Every request served, in arrival order. */
  requests: RequestLogEntry[];
  /** A sources document for these sites (the input of `crawl`). */
  sources(): { sources: { id: string; name: string; region?: string; start: string[]; allowHosts: string[] }[] };
  close(): Promise<void>;
}

/** Start every site of a portal directory (default: the bundled sample portal). */
export async function startPortal(dir: string = SAMPLE_PORTAL_DIR): Promise<RunningPortal> {
  const manifest = JSON.parse(readFileSync(join(dir, "portal.json"), "utf8")) as PortalManifest;
  const requests: RequestLogEntry[] = [];
  const sites: RunningPortal["sites"] = [];
  for (const s of manifest.sites) {
    const served = await serveSite(s.id, join(dir, "sites", s.dir), requests);
    const startUrls = (Array.isArray(s.start) ? s.start : [s.start]).map((p) => served.origin + p);
    sites.push({ ...served, name: s.name, region: s.region ?? null, startUrl: startUrls[0]!, startUrls });
  }
  return {
    sites,
    requests,
    sources: () => ({
      sources: sites.map((s) => ({ id: s.id, name: s.name, ...(s.region ? { region: s.region } : {}), start: s.startUrls, allowHosts: [s.host] })),
    }),
    close: async () => {
      await Promise.all(
        sites.map(
          (s) =>
            new Promise<void>((ok) => {
              s.server.closeAllConnections();
              s.server.close(() => ok());
            }),
        ),
      );
    },
  };
}
