import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseReport } from "../../src/pipeline.js";
import type { ReportRecord } from "../../src/schema/record.js";
import { agencyFromBody, agencyFromTitle, yearFromBody, yearFromPeriod, yearFromTitle } from "../../src/parse/meta.js";
import { extractText } from "../../src/parse/text.js";
import { extractHtml } from "../../src/parse/html.js";
import { isAgencyName, readMeta } from "../../src/parse/meta.js";

describe("report metadata", () => {
  it("reads agency and year from either title order", () => {
    expect(agencyFromTitle("平潭综合实验区财政金融局2020年度政府信息公开工作年度报告")).toBe("平潭综合实验区财政金融局");
    expect(agencyFromTitle("2024年上海市科委政府信息公开工作年度报告")).toBe("上海市科委");
    expect(yearFromTitle("2024 年上海市科委政府信息公开工作年度报告")).toBe(2024);
  });
  it("takes the statistical year from the 统计期限 sentence, not from dates around it", () => {
    expect(yearFromBody("发布时间：2021-01-28。本报告所列数据的统计期限自2020年1月1日起至2020年12月31日止。")).toBe(2020);
    expect(yearFromBody("统计周期为 2024 年 1 月 1 日至 12 月 31 日")).toBe(2024);
  });
  it("finds the reporting body in the first sentence or the contact line", () => {
    expect(agencyFromBody("2019年,乌海市财政局深入贯彻落实条例")).toBe("乌海市财政局");
    expect(agencyFromBody("如对本报告有任何疑问，请与某县交通运输局办公室联系（电话：1）")).toBe("某县交通运输局");
  });
  it("joins a title broken over two lines and reads 发布时间", () => {
    const m = readMeta(extractText("正文\n2024 年上海市科委政府信息公开工作\n年度报告\n发布时间: 2025-01-20 10:00\n正文"));
    expect(m).toMatchObject({ title: "2024年上海市科委政府信息公开工作年度报告", agency: "上海市科委", year: 2024, publishedAt: "2025-01-20" });
  });
  it("takes a title ending in 年报 or 工作报告, as well as in 年度报告", () => {
    expect(readMeta(extractText("首页\n某县财政局2023年政府信息公开年报\n正文")).title).toBe("某县财政局2023年政府信息公开年报");
    expect(readMeta(extractText("首页\n某县财政局2023年政务公开工作报告\n正文")).title).toBe("某县财政局2023年政务公开工作报告");
  });
  it("reads the body from every key of a page's 公开 metadata table", () => {
    const table = (key: string) => readMeta(extractHtml(`<table><tr><td>索引号</td><td>000-1</td></tr><tr><td>${key}</td><td>某县 交通运输局</td></tr></table><p>正文</p>`));
    for (const key of ["发布机构", "发文机关：", "发布单位", "制发机关", "公开主体", "公 开 主 体"]) expect(table(key).agencyEvidence).toContainEqual({ source: "meta_table", value: "某县交通运输局" });
    expect(table("主办单位").agencyEvidence.filter((e) => e.source === "meta_table")).toEqual([]);
  });
  it("takes the report's title from inside 《》 of a notice", () => {
    const m = readMeta(extractText("关于印发《某县农业农村局2023年政府信息公开工作年度报告》的通知\n正文"));
    expect(m).toMatchObject({ title: "某县农业农村局2023年政府信息公开工作年度报告", agency: "某县农业农村局", year: 2023 });
  });

  it("finds no agency in a title that names none, and cleans notices and mirror prefixes", () => {
    expect(agencyFromTitle("2023年政府信息公开工作年度报告")).toBeNull();
    expect(agencyFromTitle("政府信息公开工作年度报告")).toBeNull();
    expect(agencyFromTitle("XX市民政局关于发布2023年度政府信息公开工作年度报告的公告")).toBe("XX市民政局");
    expect(agencyFromTitle("365bet官网-XX市民政局2023年政府信息公开工作年度报告")).toBe("XX市民政局");
    expect(agencyFromTitle("2024年上海市科委政府信息公开工作年度报告")).toBe("上海市科委");
  });

  it("reads years written in Chinese numerals", () => {
    expect(yearFromTitle("XX区司法局二〇二三年政府信息公开工作年度报告")).toBe(2023);
    expect(agencyFromTitle("XX区司法局二〇二三年政府信息公开工作年度报告")).toBe("XX区司法局");
    expect(yearFromBody("本报告所列数据统计期限为二〇二三年1月1日至12月31日")).toBe(2023);
  });

  it("takes the year from the statistical period when the title disagrees, and says so", () => {
    const m = readMeta(extractText("标题: XX局2024年政府信息公开工作年度报告\n本报告所列数据统计期限为2023年1月1日至2023年12月31日。"));
    expect(m.year).toBe(2023);
    expect(m.yearConflict).toEqual({ title: 2024, period: 2023 });
    // A mention of last year's report is not a period: the title wins over it.
    expect(readMeta(extractText("标题: XX局2023年政府信息公开工作年度报告\n针对2022年度政府信息公开工作年度报告中的问题进行了整改。")).year).toBe(2023);
  });

  it("finds the body's agency in the opening sentence, not running on from the title line", () => {
    expect(agencyFromBody("2023年政府信息公开工作年度报告\nXX市民政局根据《中华人民共和国政府信息公开条例》要求，编制本报告。")).toBe("XX市民政局");
  });

  it("says null when the page does not say", () => {
    expect(readMeta(extractText("一些文字\n另一行"))).toMatchObject({ title: null, year: null, agency: null, publishedAt: null });
  });
});

// The article text of a report without its headline, as a page body or an archive gives it: the
// reporting body must come from the opening sentence or the signature, never from the office
// that answers questions, a sentence fragment or a name with words glued on.
describe("the reporting body from the page's own words", () => {
  const tables = readFileSync(new URL("../../fixtures/reports/syn-pipe-2021-rows/input.txt", import.meta.url), "utf8").split("\n").slice(5).join("\n");
  const PERIOD = "本报告所列数据的统计期限自2022年1月1日起至2022年12月31日止。";
  const page = (pre: string[], post: string[] = []) => [...pre, tables, ...post].join("\n");
  const meta = (r: ReportRecord) => r.issues.filter((i) => i.code.startsWith("meta."));

  it("never takes the contact office (…领导小组办公室, …党政办公室, 我局办公室) as the body", () => {
    for (const contact of ["请与某市某区人民政府办公室政府信息公开工作领导小组办公室联系（电话：0000）", "请与某片区管理局党政办公室联系（地址：某路1号）", "请联系我局办公室（电话：0000）"]) {
      const r = parseReport(page([`${PERIOD}如对本报告有疑问，${contact}。`]));
      expect(r.agency, contact).toBeNull();
      expect(meta(r).map((i) => i.code), contact).toEqual(["meta.agency_missing"]);
    }
  });

  it("the contact line supports a body named elsewhere, without overruling it", () => {
    const r = parseReport(page([`2022年，某片区管理局深入贯彻落实《条例》。${PERIOD}如对本报告有疑问，请与某片区管理局党政办公室联系。`]));
    expect(r.agency).toBe("某片区管理局");
    expect(meta(r)).toEqual([]);
  });

  it("a body named by the first sentence alone is kept with meta.agency_weak; one whose sentence goes on to 报告如下 is the opening", () => {
    const weak = parseReport(page([`2022年，区政府办公室在政务公开工作中持续发力。${PERIOD}`]));
    expect(weak.agency).toBe("区政府办公室");
    expect(meta(weak).map((i) => [i.code, i.severity])).toEqual([["meta.agency_weak", "warning"]]);
    expect(meta(weak)[0]!.message).toContain("正文首句");
    const opening = parseReport(page([`2022年，某区应急管理局认真落实《条例》，现将本年度政府信息公开工作情况报告如下。${PERIOD}`]));
    expect(opening.agency).toBe("某区应急管理局");
    expect(meta(opening)).toEqual([]);
  });

  it("cuts 关于报送…的函 from the sender's name", () => {
    const r = parseReport(page(["某区应急管理局关于报送2022年政府信息公开工作年度报告的函", PERIOD]));
    expect(r.agency).toBe("某区应急管理局");
    expect(r.title).toBe("某区应急管理局2022年政府信息公开工作年度报告");
  });

  it("never takes a sentence fragment (我局通过“…”门户网站)", () => {
    const r = parseReport(page([`2022年，我局通过“某区应急管理局”门户网站主动公开各类信息。${PERIOD}`]));
    expect(r.agency).toBeNull();
    expect(meta(r).map((i) => i.code)).toEqual(["meta.agency_missing"]);
  });

  it("reads the body from the opening sentence (现将…) and from the signature", () => {
    const opening = parseReport(page([`根据《中华人民共和国政府信息公开条例》规定，现将某区应急管理局2022年度政府信息公开工作情况报告如下。${PERIOD}`]));
    expect(opening.agency).toBe("某区应急管理局");
    for (const sig of [["某区应急管理局 2023年1月17日"], ["某区应急管理局", "2023年1月17日"]]) {
      const r = parseReport(page([PERIOD], sig));
      expect(r.agency).toBe("某区应急管理局");
      expect(meta(r)).toEqual([]);
    }
  });

  it("says which body it chose and why when the title and the signature disagree", () => {
    const r = parseReport(page(["某区应急管理局2022年政府信息公开工作年度报告", PERIOD], ["某区民政局", "2023年1月17日"]));
    expect(r.agency).toBe("某区应急管理局");
    const c = meta(r).find((i) => i.code === "meta.agency_conflict");
    expect(c?.severity).toBe("warning");
    expect(c?.message).toContain("某区民政局");
    expect(c?.message).toContain("采用“某区应急管理局”");
    // Title and hint against the signature: the body with more and stronger evidence wins.
    const hinted = parseReport(page([PERIOD], ["某区民政局", "2023年1月17日"]), { titleHint: "某区应急管理局2022年政府信息公开工作年度报告" });
    expect(hinted.agency).toBe("某区应急管理局");
    expect(meta(hinted).map((i) => i.code)).toEqual(["meta.agency_conflict"]);
  });

  it("checks the year against the signature's date (weakly)", () => {
    const r = parseReport(page(["某区应急管理局2022年政府信息公开工作年度报告", PERIOD], ["某区应急管理局", "2021年1月17日"]));
    expect(r.year).toBe(2022);
    expect(meta(r).map((i) => i.code)).toEqual(["meta.signature_year"]);
    expect(meta(parseReport(page(["某区应急管理局2022年政府信息公开工作年度报告", PERIOD], ["某区应急管理局", "2023年1月17日"])))).toEqual([]);
  });

  it("conflicting title year and statistical period: the period wins, with an issue", () => {
    const r = parseReport(page(["某区应急管理局2023年政府信息公开工作年度报告", PERIOD]));
    expect(r.year).toBe(2022);
    expect(meta(r).map((i) => i.code)).toEqual(["meta.year_conflict"]);
  });

  it("takes the list link's title as a hint, not over a column-name title", () => {
    const r = parseReport(page(["政府信息公开年报", PERIOD]), { titleHint: "某区应急管理局2022年政府信息公开工作年度报告" });
    expect(r).toMatchObject({ agency: "某区应急管理局", title: "某区应急管理局2022年政府信息公开工作年度报告", year: 2022 });
    expect(parseReport(page(["政府信息公开年报", PERIOD])).title).toBeNull();
  });
});

describe("a page body flattened into one line (an archive's text dump)", () => {
  it("is read whole even when it starts like a header field (来源：…), with the title split by a space and the signature at its end", () => {
    const tables = readFileSync(new URL("../../fixtures/reports/txt-2021-pingtan-jtj-glued/input.txt", import.meta.url), "utf8");
    const body = /二、主动公开政府信息情况.*三、收到和处理.*?五、存在的主要问题/s.exec(tables)![0];
    const line = `来源： 时间：2022-01-10 08:51 --> 微信 微博 某局2021年度 政府信息公开工作年度报告 根据《条例》，结合工作实际编制本报告。本报告所列数据的统计期限为2021年1月1日至2021年12月31日。${body}及改进情况 无。 某局 2022年1月7日 附件下载`;
    const r = parseReport(line);
    expect(r).toMatchObject({ agency: "某局", year: 2021, title: "某局2021年度政府信息公开工作年度报告" });
    expect(r.applications["new_received"]?.["total"]).toBe(5);
  });
});

// Found by a QA pass: other reports' titles on the page (a sidebar, 相关链接, 上一篇/下一篇).
describe("QA finds: other reports' titles on the page, region-only names, impossible years", () => {
  const tables = readFileSync(new URL("../../fixtures/reports/syn-pipe-2021-rows/input.txt", import.meta.url), "utf8").split("\n").slice(5).join("\n");
  const PERIOD = "本报告所列数据的统计期限自2022年1月1日起至2022年12月31日止。";
  const T = "某区应急管理局2022年政府信息公开工作年度报告";
  const meta = (r: ReportRecord) => r.issues.filter((i) => i.code.startsWith("meta.")).map((i) => i.code);

  it("a link to another year's report before the title does not name the report", () => {
    const r = parseReport(["首页 > 政府信息公开年报", "相关链接：", "某区人民政府2021年政府信息公开工作年度报告", T, PERIOD, tables].join("\n"));
    expect(r).toMatchObject({ title: T, agency: "某区应急管理局", year: 2022 });
    expect(meta(r)).toEqual([]);
  });

  it("two same-year titles of different bodies before the tables: one is chosen and the conflict said", () => {
    const r = parseReport(["热点信息", "某区民政局2022年政府信息公开工作年度报告", T, tables].join("\n"));
    expect(meta(r)).toContain("meta.agency_conflict");
    // The signature settles it.
    const signed = parseReport(["热点信息", "某区民政局2022年政府信息公开工作年度报告", T, tables, "某区应急管理局", "2023年1月10日"].join("\n"));
    expect(signed).toMatchObject({ title: T, agency: "某区应急管理局" });
  });

  it("titles after the tables (related articles) are not the report's", () => {
    const r = parseReport([T, PERIOD, tables, "相关文章", "某区民政局2022年政府信息公开工作年度报告", "上一篇：某区应急管理局2021年政府信息公开工作年度报告"].join("\n"));
    expect(r).toMatchObject({ title: T, agency: "某区应急管理局", year: 2022 });
    expect(meta(r)).toEqual([]);
  });

  it("reads a title line with the site's name after _ and a title broken over three lines", () => {
    expect(parseReport([`${T}_某区人民政府门户网站`, PERIOD, tables].join("\n"))).toMatchObject({ title: T, agency: "某区应急管理局" });
    expect(parseReport(["某区应急管理局", "2022年政府信息公开工作", "年度报告", PERIOD, tables].join("\n"))).toMatchObject({ title: T, agency: "某区应急管理局" });
  });

  it("a year only mentioned in the body is flagged unless a date confirms it", () => {
    const page = ["某区应急管理局政府信息公开工作年度报告", "针对2021年度政府信息公开工作年度报告中的问题进行了整改。", tables];
    const r = parseReport(page.join("\n"));
    expect(meta(r)).toEqual(["meta.year_uncertain"]);
    expect(meta(parseReport([...page, "某区应急管理局", "2022年1月10日"].join("\n")))).toEqual([]);
  });

  it("a region's name in the title gives way to the body a good source names (某市 → 某市财政局)", () => {
    const r = parseReport(["某市2022年政府信息公开工作年度报告", PERIOD, tables, "某市财政局", "2023年1月10日"].join("\n"));
    expect(r.agency).toBe("某市财政局");
    // A government's report signed by its office stays the government's.
    expect(parseReport(["某区人民政府2022年政府信息公开工作年度报告", PERIOD, tables, "某区人民政府办公室", "2023年1月10日"].join("\n")).agency).toBe("某区人民政府");
  });

  it("a year after the page's publication date is flagged (a typo in the title)", () => {
    const r = parseReport(["某区应急管理局2032年政府信息公开工作年度报告", "发布时间：2023-01-10", tables].join("\n"));
    expect(r.year).toBe(2032);
    expect(meta(r)).toEqual(["meta.year_uncertain"]);
  });
});

describe("digits in a body's name", () => {
  it("an ordinal (第1局, 第12局) is part of a name; a year or a count is not", () => {
    expect(isAgencyName("合成市第1局")).toBe(true);
    expect(isAgencyName("某市第12中学")).toBe(false); // 中学 is not a body's ending here
    expect(isAgencyName("某市第12局")).toBe(true);
    expect(isAgencyName("某市2019局")).toBe(false);
    expect(isAgencyName("某市第2019局")).toBe(false);
    expect(isAgencyName("收到申请17件的局")).toBe(false);
  });
});

describe("the list link's year (titleHint)", () => {
  const page = readFileSync(new URL("../../fixtures/reports/syn-html-2021-missing-rows/input.html", import.meta.url));
  const own = parseReport(page);
  it("a list that files the page under another year is a year_conflict; the page's year stands", () => {
    expect(own.year).not.toBeNull();
    const hint = `${own.agency ?? "某市某局"}${own.year! - 4}年政府信息公开工作年度报告`;
    const r = parseReport(page, { titleHint: hint });
    expect(r.year).toBe(own.year);
    expect(r.issues.filter((i) => i.code === "meta.year_conflict").map((i) => [i.expected, i.actual])).toEqual([[own.year, own.year! - 4]]);
  });
  it("a list that agrees raises nothing", () => {
    const r = parseReport(page, { titleHint: `${own.agency ?? "某市某局"}${own.year}年政府信息公开工作年度报告` });
    expect(r.issues.filter((i) => i.code === "meta.year_conflict")).toEqual([]);
  });
});

describe("a link titled with a file name", () => {
  it("drops the file's extension from the hinted title", () => {
    const page = readFileSync(new URL("../../fixtures/reports/syn-pipe-2021-rows/input.txt", import.meta.url), "utf8").split("\n").slice(2).join("\n");
    const r = parseReport(page, { titleHint: "某区应急管理局2022年政府信息公开工作年度报告.pdf" });
    expect(r.title).toBe("某区应急管理局2022年政府信息公开工作年度报告");
  });
});

describe("yearFromPeriod: the 统计期限 sentence in the forms reports print (QA)", () => {
  it("reads 2023年度, Chinese numerals and dotted dates; not a month, a span of years or a bare date", () => {
    expect(yearFromPeriod("本报告所列数据统计期限为2023年度。")).toBe(2023);
    expect(yearFromPeriod("统计期限为二〇二三年一月一日至十二月三十一日。")).toBe(2023);
    expect(yearFromPeriod("统计期限为2023.1.1-2023.12.31。")).toBe(2023);
    expect(yearFromPeriod("统计期限为2023.01.01—2023.12.31。")).toBe(2023);
    expect(yearFromPeriod("统计时间为2023年12月。")).toBeNull();
    expect(yearFromPeriod("统计期限为2023年度至2024年度。")).toBeNull();
    expect(yearFromPeriod("与2022.1.1相比有所增加。")).toBeNull();
  });
});
