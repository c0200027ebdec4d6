/** Characters XML 1.0 cannot hold at all (controls, lone surrogates, U+FFFE/U+FFFF): dropped, not escaped. */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const XML_ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&apos;" };

/** Text for an XML element or attribute value: names and notes are typed by people and may hold anything. */
export function escapeXml(text: string): string {
  return text.replace(NOT_XML, "").replace(/[&<>"']/g, (c) => XML_ENTITIES[c]!);
}

/** A fixed-point decimal: XML Schema's xsd:decimal (GPX lat/lon/ele) allows no exponent, which String(1e-7) has. */
export function decimal(value: number, digits: number): string {
  const s = value.toFixed(digits);
  // "-0.000" is valid but looks like a sign error in a track.
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s;
}

export const isoTime = (ms: number): string => new Date(ms).toISOString();

/** Joins small pieces into writes of about `size` characters: one socket write per line would be slow. */
export async function* batched(pieces: AsyncIterable<string>, size = 16 * 1024): AsyncGenerator<string> {
  let buffer = "";
  for await (const piece of pieces) {
    buffer += piece;
    if (buffer.length >= size) {
      yield buffer;
      buffer = "";
    }
  }
  if (buffer.length > 0) yield buffer;
}
