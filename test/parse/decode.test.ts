import fc from "fast-check";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { charsetFromContentType, decodeBytes, looksLikeHtml } from "../../src/parse/decode.js";

const gbk = (s: string): Uint8Array => iconv.encode(s, "gb18030");
const utf8 = (s: string): Uint8Array => Buffer.from(s, "utf8");

/** 镕/堃/喆 are GBK-only (not GB2312); 𠓬 U+204EC and 𠀀 U+20000 (Ext-B), 㐀 U+3400 (Ext-A) take 4 bytes in GB18030. */
const RARE = "朱镕基 堃 喆 𠓬 𠀀 㐀";
const REPORT = `某某区人民政府2021年政府信息公开工作年度报告。收到申请 12 件。${RARE}`;

function page(head: string, body = REPORT): string {
  return `<!DOCTYPE html><html><head>${head}<title>年报</title></head><body><p>${body}</p></body></html>`;
}

describe("charsetFromContentType", () => {
  it("reads the charset parameter and canonicalises GB labels to gb18030", () => {
    expect(charsetFromContentType("text/html; charset=utf-8")).toBe("utf-8");
    expect(charsetFromContentType('text/html; charset="GB2312"')).toBe("gb18030");
    expect(charsetFromContentType("text/html;charset=gbk")).toBe("gb18030");
    expect(charsetFromContentType("text/html; Charset = CP936")).toBe("gb18030");
    expect(charsetFromContentType("text/html; charset=euc-cn")).toBe("gb18030");
    expect(charsetFromContentType("text/html; charset=iso-8859-1")).toBe("windows-1252");
    expect(charsetFromContentType("text/html; charset=big5")).toBe("big5");
  });

  it("returns null without a charset or for an unknown one", () => {
    expect(charsetFromContentType(undefined)).toBeNull();
    expect(charsetFromContentType(null)).toBeNull();
    expect(charsetFromContentType("text/html")).toBeNull();
    expect(charsetFromContentType("text/html; charset=")).toBeNull();
    expect(charsetFromContentType("text/html; charset=no-such-thing")).toBeNull();
  });
});

describe("decodeBytes: BOM", () => {
  it("honours UTF-8, UTF-16LE and UTF-16BE byte-order marks and strips them", () => {
    const text = "年度报告 𠓬";
    const u8 = Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8(text)]);
    expect(decodeBytes(u8)).toEqual({ text, encoding: "utf-8", source: "bom", mislabelled: false });

    const le = Uint8Array.from([0xff, 0xfe, ...Buffer.from(text, "utf16le")]);
    expect(decodeBytes(le)).toEqual({ text, encoding: "utf-16le", source: "bom", mislabelled: false });

    const beBody = Buffer.from(text, "utf16le").swap16();
    const be = Uint8Array.from([0xfe, 0xff, ...beBody]);
    expect(decodeBytes(be)).toEqual({ text, encoding: "utf-16be", source: "bom", mislabelled: false });
  });

  it("beats the header, and says the header was overridden", () => {
    const u8 = Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8(REPORT)]);
    expect(decodeBytes(u8, { contentType: "text/html; charset=gbk" })).toEqual({
      text: REPORT,
      encoding: "utf-8",
      source: "bom",
      mislabelled: true,
    });
  });
});

describe("decodeBytes: declarations", () => {
  it("prefers the HTTP header over <meta>", () => {
    // The shanghai.gov.cn template case: UTF-8 served by the JSP header, gb2312 in <meta>.
    const html = page('<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />');
    expect(decodeBytes(utf8(html), { contentType: "text/html; charset=UTF-8" })).toEqual({
      text: html,
      encoding: "utf-8",
      source: "header",
      mislabelled: false,
    });
    const gbHtml = page('<meta charset="utf-8">');
    expect(decodeBytes(gbk(gbHtml), { contentType: "text/html; charset=gbk" })).toMatchObject({
      text: gbHtml,
      encoding: "gb18030",
      source: "header",
      mislabelled: false,
    });
  });

  it.each([
    ['<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />'],
    ['<META HTTP-EQUIV="content-type" CONTENT="text/html; CHARSET=GBK">'],
    ["<meta charset='gbk'>"],
    ['<meta charset = "GB2312" >'],
    ["<meta charset=gb18030>"],
  ])("reads the charset from %s", (meta) => {
    const html = page(meta);
    expect(decodeBytes(gbk(html))).toEqual({ text: html, encoding: "gb18030", source: "meta", mislabelled: false });
  });

  it("decodes a gb2312-labelled page with GBK-only and 4-byte GB18030 characters exactly", () => {
    const html = page('<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />');
    const bytes = gbk(html);
    // The test is only meaningful if the 4-byte sequences are really there.
    expect(Buffer.from(bytes).includes(Buffer.from([0x95, 0x33, 0x82, 0x36]))).toBe(true); // 𠓬
    const out = decodeBytes(bytes);
    expect(out.text).toBe(html);
    expect(out.text).toContain("𠓬");
    expect(out.text).toContain("镕");
    expect(out.encoding).toBe("gb18030");
  });

  it("ignores a <meta> inside a comment, and one beyond the first 4 KB", () => {
    const commented = page("<!-- <meta charset=gbk> -->");
    expect(decodeBytes(utf8(commented))).toEqual({ text: commented, encoding: "utf-8", source: "sniff", mislabelled: false });
    const late = `<html><head>${" ".repeat(5000)}<meta charset="gbk"></head><body>${REPORT}</body></html>`;
    expect(decodeBytes(utf8(late))).toMatchObject({ text: late, encoding: "utf-8", source: "sniff" });
  });

  it("reads an XML declaration, and treats a <meta> claiming UTF-16 as UTF-8", () => {
    const xml = `<?xml version="1.0" encoding="GB2312"?><html><body>${REPORT}</body></html>`;
    expect(decodeBytes(gbk(xml))).toMatchObject({ text: xml, encoding: "gb18030", source: "meta" });
    const u16 = page('<meta charset="utf-16">');
    expect(decodeBytes(utf8(u16))).toMatchObject({ text: u16, encoding: "utf-8", source: "meta", mislabelled: false });
  });

  it("decodes other declared encodings (big5)", () => {
    const text = "<p>臺北市政府資訊公開年度報告</p>";
    expect(decodeBytes(iconv.encode(text, "big5"), { contentType: "text/html; charset=big5" })).toEqual({
      text,
      encoding: "big5",
      source: "header",
      mislabelled: false,
    });
  });
});

describe("decodeBytes: mislabelled pages", () => {
  it("decodes UTF-8 bytes labelled gb2312 as UTF-8 (meta and header)", () => {
    const html = page('<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />');
    expect(decodeBytes(utf8(html))).toEqual({ text: html, encoding: "utf-8", source: "meta", mislabelled: true });
    expect(decodeBytes(utf8(html), { contentType: "text/html; charset=GBK" })).toEqual({
      text: html,
      encoding: "utf-8",
      source: "header",
      mislabelled: true,
    });
  });

  it("decodes GBK bytes labelled UTF-8 by the header as GB18030", () => {
    const html = page('<meta charset="utf-8">');
    expect(decodeBytes(gbk(html), { contentType: "text/html; charset=utf-8" })).toEqual({
      text: html,
      encoding: "gb18030",
      source: "header",
      mislabelled: true,
    });
  });

  it("decodes GBK bytes labelled UTF-8 by <meta> as GB18030", () => {
    const html = page('<meta charset="utf-8">');
    expect(decodeBytes(gbk(html))).toEqual({ text: html, encoding: "gb18030", source: "meta", mislabelled: true });
  });

  it("decodes GBK labelled UTF-8 even without the known labels, when it reads as Chinese", () => {
    const html = page('<meta charset="utf-8">', "这是一个关于工作的通知，请各部门认真学习并贯彻执行。");
    expect(decodeBytes(gbk(html))).toMatchObject({ text: html, encoding: "gb18030", mislabelled: true });
  });

  it("keeps UTF-8 with a few damaged bytes as UTF-8 rather than GB mojibake", () => {
    const good = utf8(page('<meta charset="utf-8">', "这是一个关于工作的通知，请各部门认真学习并贯彻执行。"));
    const damaged = Uint8Array.from([...good.subarray(0, 120), 0xff, ...good.subarray(120)]);
    const out = decodeBytes(damaged);
    expect(out).toMatchObject({ encoding: "utf-8", source: "meta", mislabelled: false });
    expect(out.text).toContain("请各部门认真学习");
  });

  it("decodes UTF-8 bytes labelled iso-8859-1 (error pages) as UTF-8", () => {
    const html = page("", "页面不存在");
    expect(decodeBytes(utf8(html), { contentType: "text/html; charset=iso-8859-1" })).toMatchObject({
      text: html,
      encoding: "utf-8",
      mislabelled: true,
    });
  });

  it("decodes GBK bytes labelled iso-8859-1 as GB18030 when the known labels appear", () => {
    const html = page("");
    expect(decodeBytes(gbk(html), { contentType: "text/html; charset=iso-8859-1" })).toMatchObject({
      text: html,
      encoding: "gb18030",
      mislabelled: true,
    });
  });

  it("keeps a declared windows-1252 for real Latin text", () => {
    const text = "<p>Café déjà vu</p>";
    expect(decodeBytes(iconv.encode(text, "windows-1252"), { contentType: "text/html; charset=iso-8859-1" })).toEqual({
      text,
      encoding: "windows-1252",
      source: "header",
      mislabelled: false,
    });
  });
});

describe("decodeBytes: no declaration", () => {
  it("reads ASCII as UTF-8 by default", () => {
    expect(decodeBytes(utf8("<p>hello</p>"))).toEqual({ text: "<p>hello</p>", encoding: "utf-8", source: "default", mislabelled: false });
  });

  it("sniffs valid UTF-8 with CJK as UTF-8", () => {
    expect(decodeBytes(utf8(REPORT))).toEqual({ text: REPORT, encoding: "utf-8", source: "sniff", mislabelled: false });
  });

  it("sniffs invalid UTF-8 as GB18030", () => {
    expect(decodeBytes(gbk(REPORT))).toEqual({ text: REPORT, encoding: "gb18030", source: "sniff", mislabelled: false });
  });

  it("returns empty text for empty input", () => {
    expect(decodeBytes(new Uint8Array(0))).toEqual({ text: "", encoding: "utf-8", source: "default", mislabelled: false });
  });

  it("never throws on arbitrary bytes and content types", () => {
    const contentType = fc.option(
      fc.constantFrom("text/html", "text/html; charset=utf-8", "text/html; charset=gbk", "text/html; charset=big5", "text/html; charset=utf-16", "x; charset=\"", "charset=bogus"),
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), contentType, (bytes, ct) => {
        const out = decodeBytes(bytes, { contentType: ct });
        expect(typeof out.text).toBe("string");
        expect(["bom", "header", "meta", "sniff", "default"]).toContain(out.source);
      }),
      { numRuns: 500 },
    );
  });

  it("never throws on arbitrary bytes behind a charset declaration", () => {
    const meta = fc.constantFrom('<meta charset="gbk">', '<meta charset="utf-8">', "<meta charset=big5>", "<meta charset=utf-16>");
    fc.assert(
      fc.property(meta, fc.uint8Array({ maxLength: 1024 }), (m, tail) => {
        const bytes = Uint8Array.from([...Buffer.from(m), ...tail]);
        expect(typeof decodeBytes(bytes).text).toBe("string");
      }),
      { numRuns: 300 },
    );
  });
});

describe("looksLikeHtml", () => {
  it("recognises common tags", () => {
    expect(looksLikeHtml("<!DOCTYPE html><html>")).toBe(true);
    expect(looksLikeHtml("  <div class=x>一</div>")).toBe(true);
    expect(looksLikeHtml("<TABLE border=1><tr><td>1</td></tr></TABLE>")).toBe(true);
    expect(looksLikeHtml("<p>text</p>")).toBe(true);
    expect(looksLikeHtml('<meta charset="gbk">')).toBe(true);
  });

  it("rejects pipe text, markdown and look-alikes", () => {
    expect(looksLikeHtml("| 项目 | 数量 |\n| --- | --- |\n| 申请 | 12 |")).toBe(false);
    expect(looksLikeHtml("a < b and <param> or <pre")).toBe(false);
    expect(looksLikeHtml("")).toBe(false);
  });
});

describe("looksLikeHtml beyond the first 4 KB", () => {
  it("sees markup after blank lines, a long comment, a script or a PHP warning", () => {
    const page = "<!DOCTYPE html><html><body><table><tr><td>规章</td></tr></table></body></html>";
    expect(looksLikeHtml(" \n".repeat(3000) + page)).toBe(true);
    expect(looksLikeHtml(`<!--${"x".repeat(6000)}-->` + page)).toBe(true);
    expect(looksLikeHtml(`<script>${"var a=1;".repeat(1200)}</script>` + page)).toBe(true);
    expect(looksLikeHtml("Warning: mysql_connect() failed in index.php on line 12\n".repeat(100) + page)).toBe(true);
  });
  it("does not take pipe text for HTML", () => {
    expect(looksLikeHtml("规章 | 0 | 0 | 0 |\n行政许可 | 3 |")).toBe(false);
  });
});

