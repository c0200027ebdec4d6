import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { parseTlog } from "../../mavlink";
import type { TlogEntry } from "../../mavlink";
import { FIXTURE_POSITIONS, FIXTURE_TLOG, collect, fixtureSamples } from "../../../test/support/flights/export-fixtures";
import { tlogEntryChunks } from "./tlog-stream";

async function* chunksOf(buf: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

const key = (e: TlogEntry) => `${e.timeUs}:${e.frame.bytes.toString("hex")}`;

async function streamed(buf: Buffer, size: number): Promise<string[]> {
  const keys: string[] = [];
  // Keys are taken at once: a frame is a view into a buffer only valid until the next chunk.
  for await (const entries of tlogEntryChunks(chunksOf(buf, size))) keys.push(...entries.map(key));
  return keys;
}

describe("reading a .tlog in chunks", () => {
  const file = fs.readFileSync(FIXTURE_TLOG);
  const whole = parseTlog(file).entries.map(key);

  it.each([13, 4096, 65_536, 1 << 20])("gives the same entries as parsing the whole file (chunks of %i bytes)", async (size) => {
    expect(await streamed(file, size)).toEqual(whole);
  });

  it("resynchronises after damage as the whole-file parser does, and keeps what is after a truncated end", async () => {
    const damaged = Buffer.concat([file.subarray(0, 50_001), Buffer.alloc(700, 0xfd), file.subarray(50_001, 400_000)]);
    const expected = parseTlog(damaged).entries.map(key);
    expect(expected.length).toBeGreaterThan(9000);
    expect(await streamed(damaged, 4096)).toEqual(expected);
  });

  it("yields each vehicle position once, without the 0,0 reports from before the EKF has an origin", async () => {
    const samples = await collect(fixtureSamples());
    expect(samples).toHaveLength(FIXTURE_POSITIONS);
    expect(samples.every((s) => Math.abs(s.lat - 51.5074) < 0.01 && Math.abs(s.lon + 0.1278) < 0.01)).toBe(true);
    expect(samples.every((s, i) => i === 0 || s.time >= samples[i - 1]!.time)).toBe(true);
    // Mode, armed state and battery come from the messages before each position.
    expect(samples.some((s) => s.armed === true)).toBe(true);
    expect(samples.at(-1)).toMatchObject({ armed: false, mode: expect.any(String) as unknown });
    expect(samples.find((s) => s.armed)?.batteryVoltage).toBeGreaterThan(10);
    expect(Math.max(...samples.map((s) => s.altRelative))).toBeGreaterThan(28);
  });
});
