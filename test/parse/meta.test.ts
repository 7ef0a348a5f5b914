import { describe, expect, it } from "vitest";
import { agencyFromBody, agencyFromTitle, yearFromBody, yearFromTitle } from "../../src/parse/meta.js";
import { extractText } from "../../src/parse/text.js";
import { readMeta } from "../../src/parse/meta.js";

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
