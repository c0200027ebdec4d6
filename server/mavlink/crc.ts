/**
 * MAVLink's checksum: CRC-16/MCRF4XX ("X.25" in the MAVLink docs), over the frame after the start byte, then
 * the message's CRC_EXTRA. The framer runs it over every byte received, so it is table-driven and takes four bytes
 * a step ("slicing by 4": a 16-bit register is consumed by two bytes, and two more are folded in through tables that
 * carry them past the rest of the step).
 */
function buildTables(): Uint16Array[] {
  const t0 = new Uint16Array(256);
  for (let n = 0; n < 256; n++) {
    let crc = n;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x8408 : crc >>> 1;
    t0[n] = crc;
  }
  // tables[k][n]: the register after byte n and k zero bytes (from a zero register).
  const tables = [t0];
  for (let k = 1; k < 4; k++) {
    const prev = tables[k - 1]!;
    const t = new Uint16Array(256);
    for (let n = 0; n < 256; n++) t[n] = (prev[n]! >>> 8) ^ t0[prev[n]! & 0xff]!;
    tables.push(t);
  }
  return tables;
}

/** Built once at import, never written afterwards. */
const [T0, T1, T2, T3] = buildTables() as [Uint16Array, Uint16Array, Uint16Array, Uint16Array];

/** One byte at a time: the definition, and the tail of the fast path. */
function crcBytes(crc: number, buf: Uint8Array, start: number, end: number): number {
  for (let i = start; i < end; i++) crc = (crc >>> 8) ^ T0[(crc ^ buf[i]!) & 0xff]!;
  return crc;
}

/** Checksum of buf[start, end) followed by the CRC_EXTRA byte. */
export function mavlinkCrc(buf: Uint8Array, start: number, end: number, crcExtra: number): number {
  let crc = 0xffff;
  let i = start;
  for (const stop = end - 3; i < stop; i += 4) {
    const x = crc ^ buf[i]! ^ (buf[i + 1]! << 8);
    crc = T3[x & 0xff]! ^ T2[x >>> 8]! ^ T1[buf[i + 2]!]! ^ T0[buf[i + 3]!]!;
  }
  crc = crcBytes(crc, buf, i, end);
  return (crc >>> 8) ^ T0[(crc ^ crcExtra) & 0xff]!;
}

/** The same checksum a byte at a time, for tests of the fast path. */
export function mavlinkCrcBytewise(buf: Uint8Array, start: number, end: number, crcExtra: number): number {
  const crc = crcBytes(0xffff, buf, start, end);
  return (crc >>> 8) ^ T0[(crc ^ crcExtra) & 0xff]!;
}
