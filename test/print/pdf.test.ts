import { PDFParse } from "pdf-parse";
import { describe, expect, it } from "vitest";
import { printable, renderPdf } from "../../src/print/pdf.ts";

describe("renderPdf", () => {
  it("writes one A4 page whose Chinese and English text reads back", async () => {
    const pdf = await renderPdf((doc) => {
      doc.fontSize(28).text(printable("书法入门 🎨 Calligraphy"));
    });
    const parser = new PDFParse({ data: new Uint8Array(pdf) });
    const { text, total } = await parser.getText();
    expect(total).toBe(1);
    expect(text).toContain("书法入门 Calligraphy");
  });
});
