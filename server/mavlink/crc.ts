/**
 * MAVLink's checksum: CRC-16/MCRF4XX ("X.25" in the MAVLink docs), over the frame after the start byte, then
 * the message's CRC_EXTRA. Table-driven because the framer runs it over every byte received.
 */
function buildTable(): Uint16Array {
  const table = new Uint16Array(256);
  for (let n = 0; n < 256; n++) {
    let crc = n;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x8408 : crc >>> 1;
    table[n] = crc;
  }
  return table;
}

/** Built once at import, never written afterwards. */
const TABLE = buildTable();

/** Checksum of buf[start, end) followed by the CRC_EXTRA byte. */
export function mavlinkCrc(buf: Uint8Array, start: number, end: number, crcExtra: number): number {
  let crc = 0xffff;
  for (let i = start; i < end; i++) crc = (crc >>> 8) ^ TABLE[(crc ^ buf[i]!) & 0xff]!;
  return (crc >>> 8) ^ TABLE[(crc ^ crcExtra) & 0xff]!;
}
