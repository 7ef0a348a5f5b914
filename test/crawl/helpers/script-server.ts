import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type Handler = (req: IncomingMessage, res: ServerResponse, hit: number) => void;

export interface ScriptServer {
  origin: string;
  host: string;
  /** Arrival time (performance.now) and path of every request. */
  log: { path: string; at: number; end?: number }[];
  hits(path: string): number;
  close(): Promise<void>;
}

/** A loopback server whose every path is scripted; unknown paths are 404. */
export async function scriptServer(routes: Record<string, Handler>): Promise<ScriptServer> {
  const log: ScriptServer["log"] = [];
  const counts = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const path = req.url ?? "/";
    const entry: { path: string; at: number; end?: number } = { path, at: performance.now() };
    log.push(entry);
    res.on("close", () => (entry.end = performance.now()));
    const n = (counts.get(path) ?? 0) + 1;
    counts.set(path, n);
    const h = routes[path.split("?")[0]!];
    if (!h) {
      res.writeHead(404, { "content-type": "text/html" });
      res.end("not found");
      return;
    }
    h(req, res, n);
  });
  server.keepAliveTimeout = 500;
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const port = (server.address() as AddressInfo).port;
  return {
    origin: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    log,
    hits: (p) => counts.get(p) ?? 0,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

export const html = (body: string, status = 200, headers: Record<string, string> = {}): Handler => (_req, res) => {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8", ...headers });
  res.end(body);
};

/** A list page linking each path with a report-like title. */
export function listOf(paths: string[]): string {
  return `<html><body><ul>${paths.map((p, i) => `<li><a href="${p}">示例单位${i + 1}号2023年政府信息公开工作年度报告</a></li>`).join("")}</ul></body></html>`;
}

/** A minimal page the MemorySink counts as a report. */
export const REPORT_HTML = `<html><head><title>示例单位2023年政府信息公开工作年度报告</title></head><body><p>三、收到和处理政府信息公开申请情况</p><table><tr><td>1</td></tr></table></body></html>`;
