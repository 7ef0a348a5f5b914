import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Page } from "playwright-core";

/**
 * Open an HTML file in the system's headless Chromium (Debian's `chromium` package; never a
 * downloaded browser) and report what a reader would see: which charts drew marks, every request
 * the page made, console errors, and a screenshot.
 */

export const CHROMIUM = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";
export const hasChromium = existsSync(CHROMIUM);

/** The flags for running Chromium as root in a container, without any background traffic. */
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"];

/**
 * Runs in the page (a string: the project's TypeScript has no DOM types). For every [data-chart]
 * element: the canvas pixels that are neither transparent nor near-white (sampled every 7th pixel),
 * and the non-null data items ECharts holds for its series. Plus table body rows and the summary.
 */
const PROBE_JS = `(() => {
  const charts = [...document.querySelectorAll("[data-chart]")].map((node) => {
    let ink = 0;
    for (const canvas of node.querySelectorAll("canvas")) {
      const ctx = canvas.getContext("2d");
      if (!ctx || canvas.width === 0 || canvas.height === 0) continue;
      const px = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      for (let i = 3; i < px.length; i += 4 * 7) if (px[i] > 0 && !(px[i - 3] > 245 && px[i - 2] > 245 && px[i - 1] > 245)) ink++;
    }
    const chart = window.echarts && window.echarts.getInstanceByDom(node);
    const series = (chart && chart.getOption() && chart.getOption().series) || [];
    const dataItems = series.reduce((s, x) => s + (x.data || []).filter((d) => d !== null && d !== undefined).length, 0);
    return { id: node.id, inkPixels: ink, dataItems };
  });
  const tableRows = Object.fromEntries([...document.querySelectorAll("table[id]")].map((t) => [t.id, t.querySelectorAll("tbody tr").length]));
  return { charts, tableRows, summary: (document.getElementById("summary") || {}).textContent || "" };
})()`;

export interface ChartProbe {
  id: string;
  /** Canvas pixels that are not background, in the chart's own canvas. */
  inkPixels: number;
  /** Number of data items in the chart's series, as ECharts holds them. */
  dataItems: number;
}

export interface PageProbe {
  charts: ChartProbe[];
  requests: string[];
  consoleErrors: string[];
  ready: boolean;
  /** Row counts of the tables, by id. */
  tableRows: Record<string, number>;
  summary: string;
  loadMs: number;
}

/**
 * Load `file`, wait for the page script to finish, then probe every `[data-chart]` element.
 * `screenshot`: where to save a full-page PNG.
 */
export async function probeReport(file: string, screenshot?: string, actions?: (page: Page) => Promise<void>): Promise<PageProbe> {
  const profile = mkdtempSync(join(tmpdir(), "nianbao-chromium-"));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1280, height: 900 } });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const requests: string[] = [];
    const consoleErrors: string[] = [];
    const url = pathToFileURL(file).href;
    // Every request except the file itself is recorded and refused.
    await context.route("**/*", (route) => {
      const u = route.request().url();
      if (u === url) return route.continue();
      requests.push(u);
      return route.abort();
    });
    page.on("console", (m) => {
      if (m.type() === "error") consoleErrors.push(m.text());
    });
    page.on("pageerror", (e) => consoleErrors.push(`pageerror: ${e.message}`));
    const t0 = Date.now();
    await page.goto(url, { waitUntil: "load" });
    const ready = await page
      .waitForSelector("body[data-ready='1']", { timeout: 20_000 })
      .then(() => true)
      .catch(() => false);
    const loadMs = Date.now() - t0;
    if (actions) await actions(page);
    const probe = (await page.evaluate(PROBE_JS)) as Pick<PageProbe, "charts" | "tableRows" | "summary">;
    if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
    return { ...probe, requests, consoleErrors, ready, loadMs };
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
