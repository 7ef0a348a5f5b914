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

  it("says null when the page does not say", () => {
    expect(readMeta(extractText("一些文字\n另一行"))).toMatchObject({ title: null, year: null, agency: null, publishedAt: null });
  });
});
