import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

/** A PDF's pages and their text, read by PDF.js (Mozilla's reader, pure JavaScript: no system tools needed). */
export async function pdfText(bytes: Uint8Array): Promise<{ pages: number; text: string[] }> {
  const doc = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false }).promise;
  try {
    const text: string[] = [];
    for (let i = 1; i <= doc.numPages; i++) {
      const content = await (await doc.getPage(i)).getTextContent();
      text.push(content.items.map((item) => ("str" in item ? item.str : "")).join(" "));
    }
    return { pages: doc.numPages, text };
  } finally {
    await doc.destroy();
  }
}
