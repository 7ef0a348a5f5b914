import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { detectEncoding, pageText } from "../../src/store/page-text.js";

// "政府信息公开" in GBK.
const GBK = new Uint8Array([0xd5, 0xfe, 0xb8, 0xae, 0xd0, 0xc5, 0xcf, 0xa2, 0xb9, 0xab, 0xbf, 0xaa]);
const html = (meta: string, body: Uint8Array) => new Uint8Array([...new TextEncoder().encode(`<html><head>${meta}</head><body><p>`), ...body, ...new TextEncoder().encode("</p></body></html>")]);

describe("detectEncoding", () => {
  it("reads valid UTF-8 as UTF-8 whatever the page declares", () => {
    expect(detectEncoding(new TextEncoder().encode('<meta charset="gb2312">政府信息公开'), "text/html; charset=gbk")).toBe("utf-8");
  });
  it("widens GB2312/GBK declarations to GB18030 and decodes them", () => {
    const page = html('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', GBK);
    expect(detectEncoding(page, null)).toBe("gb18030");
    expect(pageText(page, "gb18030")).toBe("政府信息公开");
    // A 4-byte GB18030 character (𠓬, not in GBK) under a gb2312 label survives the widening.
    const wide = html('<meta charset="gb2312">', new Uint8Array(iconv.encode("𠓬溪县", "gb18030")));
    expect(pageText(wide, detectEncoding(wide, null))).toBe("𠓬溪县");
  });
  it("reads the declaration from <meta> when there is no header (not only the GB18030 guess)", () => {
    // Without <meta>, these bytes would be guessed GB18030; the page says Big5 and Big5 it is.
    const big5 = html('<meta http-equiv="Content-Type" content="text/html; charset=big5">', new Uint8Array(iconv.encode("政府資訊公開", "big5")));
    expect(detectEncoding(big5, null)).toBe("big5");
    expect(pageText(big5, detectEncoding(big5, null))).toBe("政府資訊公開");
    expect(detectEncoding(html('<meta charset="gbk">', GBK), null)).toBe("gb18030");
  });
  it("lets the HTTP header win over <meta>, and guesses GB18030 when nothing is declared", () => {
    expect(detectEncoding(html('<meta charset="big5">', GBK), "text/html; charset=GBK")).toBe("gb18030");
    expect(detectEncoding(GBK, null)).toBe("gb18030");
  });
  it("honours a BOM", () => {
    expect(detectEncoding(new Uint8Array([0xef, 0xbb, 0xbf, 0x41]), null)).toBe("utf-8");
    expect(detectEncoding(new Uint8Array([0xff, 0xfe, 0x41, 0x00]), null)).toBe("utf-16le");
  });
});

describe("pageText", () => {
  it("drops tags, scripts, styles and comments, decodes entities, collapses table pipes", () => {
    const page = new TextEncoder().encode(
      "<html><head><style>p{}</style><script>var x='<p>no</p>';</script></head><body><!-- c --><p>一、总体情况&nbsp;&#x4E00;&amp;</p><table><tr><td>自然人</td><td>3</td></tr></table></body></html>",
    );
    expect(pageText(page, "utf-8")).toBe("一、总体情况 一& 自然人 3");
  });
  it("keeps pipe-flattened text readable", () => {
    expect(pageText(new TextEncoder().encode("自然人 |\n3 |\n|||\n---|---\n总计 |"), "utf-8")).toBe("自然人 3 总计");
  });
});

describe("pageText of a report file", () => {
  it("is empty for PDF, DOCX (ZIP) and DOC/WPS (OLE) bytes: a file's text comes from the parser, never from decoding its bytes", () => {
    const pdf = new TextEncoder().encode("%PDF-1.7\n%\u00e2\u00e3\n1 0 obj << /Type /Catalog >> endobj 政府信息公开");
    // A DOCX: a ZIP whose local header names word/document.xml.
    const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, ...new TextEncoder().encode("word/document.xml")]);
    const ole = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0x41]);
    for (const b of [pdf, zip, ole]) expect(pageText(b, "utf-8")).toBe("");
    expect(pageText(new TextEncoder().encode("<p>PDF 文件说明</p>"), "utf-8")).toBe("PDF 文件说明");
    // A page that mentions %PDF- after its markup is a page (the same rule as the parser's sniffFile).
    expect(pageText(new TextEncoder().encode("<p>文件头 %PDF-1.7 说明</p>"), "utf-8")).toBe("文件头 %PDF-1.7 说明");
  });
});
