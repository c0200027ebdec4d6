import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { FlightCatalogue } from "../../server/flights";
import { createLink, readTlogFile } from "../../server/mavlink";
import type { MavLink, TlogEntry } from "../../server/mavlink";
import { AppSql, openAppDatabase } from "../../server/storage";
import { MIGRATIONS } from "../../server/migrations";
import { TlogPlayer } from "../../sitl";
import { flightEntries } from "../helpers/udp";
import { freeUdpPort } from "../helpers/ports";
import { startServerProcess } from "../helpers/server-process";

const log = pino({ level: "silent" });
const entries = flightEntries();
const SPEED = 10;
const hex = (e: TlogEntry) => e.frame.bytes.toString("hex");


const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
});

/** The real server as one process, on this data directory and UDP port. */
function startServer(dataDir: string, udpPort: number) {
  return startServerProcess(["--link", `udpin://127.0.0.1:${udpPort}`, "--data-dir", dataDir], children);
}

/** Plays entries, stamping the wall time each was sent; stops when `stopAt` packets went (or at the end). */
async function play(link: MavLink, list: readonly TlogEntry[], sentAt: number[], stopAt = Infinity): Promise<number> {
  let sent = 0;
  const controller = new AbortController();
  const player = new TlogPlayer(list, {
    send(packet) {
      if (sent >= stopAt) return;
      link.send(packet);
      sentAt.push(Date.now());
      sent++;
      if (sent >= stopAt) controller.abort();
    },
  }, { speed: SPEED, signal: controller.signal });
  await player.play();
  return sent;
}

describe("recording through a crash", () => {
  it("loses at most about a second, corrupts nothing, and links the segments", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "dmc-crash-"));
    const port = await freeUdpPort();
    const link = createLink(`udpout://127.0.0.1:${port}`, { id: "player", logger: log });
    await link.start();
    try {
      const first = await startServer(dataDir, port);
      const armed = entries.findIndex((e) => e.frame.msgid === 0 && (e.frame.payload[6]! & 128) !== 0);
      const cut = entries.findIndex((e) => e.timeUs > entries[armed]!.timeUs + 60e6);
      const sentAt: number[] = [];
      const sent = await play(link, entries, sentAt, cut);
      first.kill("SIGKILL");
      const killedAt = Date.now();
      await new Promise((r) => first.once("exit", r));

      const second = await startServer(dataDir, port);
      await play(link, entries.slice(sent), []);
      await new Promise((r) => setTimeout(r, 500));
      second.kill("SIGTERM");
      await new Promise((r) => second.once("exit", r));

      const db = openAppDatabase(dataDir, log, MIGRATIONS);
      try {
        const flights = (await new FlightCatalogue(AppSql.sqlite(db)).list({})).flights.sort((a, b) => a.id - b.id);
        expect(flights).toHaveLength(2);
        const [a, b] = flights as [typeof flights[0], typeof flights[0]];
        // Cut by the crash, not closed by a disarm: it ends at its last packet, and says how long the record stops.
        expect(a).toMatchObject({ status: "interrupted", disarmedAt: null });
        expect(b).toMatchObject({ status: "closed", previousId: a.id });
        expect(b.disarmedAt).not.toBeNull();

        const fileA = readTlogFile(path.join(dataDir, a.tlogPath));
        expect(a.endedAt).toBe(Math.floor(fileA.entries.reduce((m, e) => Math.max(m, e.timeUs), 0) / 1000));
        expect(a.durationS).toBe((a.endedAt! - a.armedAt!) / 1000);
        expect(a.continuedBy).toEqual({ id: b.id, gapMs: b.startedAt - a.endedAt! });
        // The time the server was down, at least: the restart and what it missed.
        expect(a.continuedBy!.gapMs).toBeGreaterThan(0);
        expect(fileA.counters).toMatchObject({ garbageBytes: 0, crcErrors: 0, unknownMessages: 0 });
        expect(fileA.counters.truncated).toBeLessThanOrEqual(1);
        const inA = fileA.entries.filter((e) => e.frame.sysid === 1).map(hex);
        // File A is the start of what was sent, in order; whatever is missing was sent in the last ~second.
        const sentBefore = entries.slice(0, sent);
        const firstInA = sentBefore.findIndex((e) => hex(e) === inA[0]);
        expect(inA).toEqual(sentBefore.slice(firstInA, firstInA + inA.length).map(hex));
        const lostFrom = firstInA + inA.length;
        for (let i = lostFrom; i < sent; i++) expect(killedAt - sentAt[i]!).toBeLessThan(1500);

        const fileB = readTlogFile(path.join(dataDir, b.tlogPath));
        expect(fileB.counters).toMatchObject({ garbageBytes: 0, crcErrors: 0, truncated: 0 });
        expect(fileB.entries.filter((e) => e.frame.sysid === 1).map(hex)).toEqual(entries.slice(sent).map(hex));
        expect(b.maxAltRelM).toBeGreaterThan(25);
      } finally {
        db.close();
      }
    } finally {
      await link.close();
    }
  }, 120_000);
});
