import { describe, expect, it } from "vitest";
import { mavlinkCrc, mavlinkCrcBytewise } from "./crc";

describe("MAVLink checksum", () => {
  it("is CRC-16/MCRF4XX: the catalogue's check value for \"123456789\"", () => {
    // CRC-16/MCRF4XX of "123456789" is 0x6F91; the CRC_EXTRA byte is folded in after the data.
    const data = Buffer.from("123456789");
    expect(mavlinkCrcBytewise(data, 0, 8, data[8]!)).toBe(0x6f91);
    expect(mavlinkCrc(data, 0, 8, data[8]!)).toBe(0x6f91);
  });

  it("takes four bytes a step to the same result as a byte at a time, at every length and offset", () => {
    let seed = 12345;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 0xff;
    const buf = Buffer.from(Array.from({ length: 600 }, random));
    for (let start = 0; start < 8; start++) {
      for (let length = 0; length <= 290; length++) {
        const extra = random();
        expect(mavlinkCrc(buf, start, start + length, extra)).toBe(mavlinkCrcBytewise(buf, start, start + length, extra));
      }
    }
  });
});
