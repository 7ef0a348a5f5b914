import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Agent } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchUrl } from "../../src/crawl/http.js";

let server: Server;
let base: string;
const agent = new Agent({ keepAliveTimeout: 10, keepAliveMaxTimeout: 10 });

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      const path = new URL(req.url ?? "/", "http://x").pathname;
      const to = { "/see-other": 303, "/temporary": 307 }[path];
      if (to) {
        res.writeHead(to, { location: "/echo" }).end();
      } else {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ method: req.method, body, type: req.headers["content-type"] ?? null, xhr: req.headers["x-requested-with"] ?? null }));
      }
    });
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((ok) => server.close(() => ok()));
  await agent.close();
});

const json = (b: Uint8Array) => JSON.parse(Buffer.from(b).toString("utf8")) as Record<string, unknown>;
const form = { method: "POST" as const, body: "channelid=1&page=2", headers: { "content-type": "application/x-www-form-urlencoded; charset=UTF-8", "x-requested-with": "XMLHttpRequest" }, dispatcher: agent, timeoutMs: 2000 };

describe("fetchUrl: POST", () => {
  it("sends the form body and headers", async () => {
    const r = await fetchUrl(`${base}/echo`, form);
    expect(json(r.body)).toEqual({ method: "POST", body: "channelid=1&page=2", type: "application/x-www-form-urlencoded; charset=UTF-8", xhr: "XMLHttpRequest" });
  });

  it("continues as a GET without the body after 303, and repeats the POST after 307, as browsers do", async () => {
    expect(json((await fetchUrl(`${base}/see-other`, form)).body)).toMatchObject({ method: "GET", body: "", type: null });
    expect(json((await fetchUrl(`${base}/temporary`, form)).body)).toMatchObject({ method: "POST", body: "channelid=1&page=2" });
  });
});
