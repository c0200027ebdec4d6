/**
 * The integrity sweep's records on each engine (the evidence store and the hashing stood in for): each footage's
 * last state, the sweeps, the alert, and a failure audited once, also when two servers sweep at once.
 */
import pino from "pino";
import { expect, it, vi } from "vitest";
import type { AuditInput } from "../audit";
import type { FootageProbe } from "../protocol";
import type { AppSql } from "../storage";
import { describeOnEngines } from "../../test/support/storage/engines";
import { FootageCatalogue } from "./catalogue";
import { EvidenceIntegrity } from "./integrity";

const T0 = Date.UTC(2026, 10, 21, 9, 0, 0);
const PROBE: FootageProbe = {
  format: "mov,mp4", durationS: 4, video: { codec: "h264", width: 320, height: 240, fps: 25, frames: 100 }, audio: null,
  creationTime: null, timecode: null, location: null, device: {}, browserPlayable: true,
};
const shaOf = (n: number) => n.toString(16).padStart(64, "0");

/** What the stand-in evidence store holds: each file's hash as it reads now (absent: missing). */
type Disk = Map<string, string>;

async function seed(sql: AppSql, count: number): Promise<{ catalogue: FootageCatalogue; ids: number[]; disk: Disk }> {
  const catalogue = new FootageCatalogue(sql);
  const ids: number[] = [];
  const disk: Disk = new Map();
  for (let n = 1; n <= count; n++) {
    const upload = n.toString(16).padStart(32, "0");
    await catalogue.startUpload(upload, "rita", `DJI_${n}.MP4`, 10, T0);
    ids.push((await catalogue.addFootage(upload, {
      sha256: shaOf(n), sizeBytes: 10, originalName: `DJI_${n}.MP4`, sidecarName: null, uploadedBy: "rita", uploadedAt: T0, probe: PROBE,
    })).footage.id);
    disk.set(shaOf(n), shaOf(n));
  }
  return { catalogue, ids, disk };
}

function integrity(sql: AppSql, catalogue: FootageCatalogue, disk: Disk, sidecars = new Map<number, string>(), extra: Partial<ConstructorParameters<typeof EvidenceIntegrity>[0]> = {}) {
  const audits: AuditInput[] = [];
  const alerts: (string | null)[] = [];
  const checker = new EvidenceIntegrity({
    sql, footage: catalogue,
    sidecarSha: (id) => Promise.resolve(sidecars.get(id) ?? null),
    derivativeShas: async (id) => ((await catalogue.get(id))?.derivatives ?? []).map((d) => d.sha256),
    evidence: { locate: (sha) => Promise.resolve(disk.has(sha) ? `/evidence/${sha}` : null) },
    hash: (file) => {
      const read = disk.get(file.slice("/evidence/".length));
      return read === undefined ? Promise.reject(new Error("ENOENT")) : Promise.resolve({ sha256: read, sizeBytes: 10 });
    },
    audit: { record: (a) => { audits.push(a); } },
    alert: (problem) => { alerts.push(problem); },
    log: pino({ level: "silent" }),
    now: () => T0,
    options: { pauseMs: 0, everyMs: 0 },
    ...extra,
  });
  return { checker, audits, alerts };
}

describeOnEngines("the evidence integrity records", ({ open }) => {
  it("marks altered and missing footage, refuses it, alerts and audits each failure once; put back, it is served again", async () => {
    const sql = await open();
    const { catalogue, ids, disk } = await seed(sql, 3);
    const sidecars = new Map([[ids[2]!, shaOf(50)]]);
    disk.set(shaOf(50), shaOf(50));
    const { checker, audits, alerts } = integrity(sql, catalogue, disk, sidecars);
    expect(await checker.last()).toBeNull();
    const clean = await checker.sweep("ada", "10.0.0.1");
    expect(clean).toMatchObject({ footage: 3, files: 4, ok: 3, altered: 0, missing: 0, failures: [], startedBy: "ada" });
    expect(await checker.last()).toEqual(clean);
    expect(await checker.refusal(ids[0]!)).toBeNull();
    expect(alerts).toEqual([null]);

    disk.set(shaOf(1), shaOf(99));
    disk.delete(shaOf(50));
    const found = await checker.sweep("system");
    expect(found).toMatchObject({ footage: 3, ok: 1, altered: 1, missing: 1 });
    expect(found.failures.map((f) => [f.footageId, f.state])).toEqual([[ids[0], "altered"], [ids[2], "missing"]]);
    expect(await checker.refusal(ids[0]!)).toMatch(new RegExp(`^footage ${ids[0]} failed its integrity check: original ${shaOf(1)} now reads as ${shaOf(99)}`));
    expect(await checker.refusal(ids[2]!)).toMatch(/sidecar .* is not in the evidence store/);
    expect(await checker.refusal(ids[1]!)).toBeNull();
    expect(alerts.at(-1)).toBe(`Evidence integrity: 2 stored footage files altered or missing (footage ${ids[0]}, ${ids[2]}): served to no one until resolved`);
    // Found again by the next sweep: not audited again.
    await checker.sweep("system");
    expect(audits.filter((a) => a.action === "evidence_integrity_failed").map((a) => a.target)).toEqual([`footage:${ids[0]}`, `footage:${ids[2]}`]);
    expect(audits.filter((a) => a.action === "evidence_integrity_checked").map((a) => a.result)).toEqual(["ok", "failed", "failed"]);

    disk.set(shaOf(1), shaOf(1));
    disk.set(shaOf(50), shaOf(50));
    // Deleted footage is neither swept nor in the alert.
    await catalogue.markDeleted(ids[2]!, 1, T0);
    expect(await checker.sweep("system")).toMatchObject({ footage: 2, ok: 2, failures: [] });
    expect(await checker.refusal(ids[0]!)).toBeNull();
    expect(alerts.at(-1)).toBeNull();
  });

  it("servers sweeping at once write each failure to the audit log once", async () => {
    const sql = await open();
    const { catalogue, ids, disk } = await seed(sql, 3);
    for (const n of [1, 3]) disk.set(shaOf(n), shaOf(100 + n));
    const servers = Array.from({ length: 6 }, () => integrity(sql, catalogue, disk));
    // Each reads first: on PostgreSQL the pool then has a connection ready for each, and the sweeps keep step.
    await Promise.all(servers.map((s) => s.checker.refusal(ids[0]!)));
    const results = await Promise.all(servers.map((s) => s.checker.sweep("system")));
    for (const r of results) expect(r).toMatchObject({ footage: 3, ok: 1, altered: 2 });
    const failed = servers.flatMap((s) => s.audits).filter((a) => a.action === "evidence_integrity_failed").map((a) => a.target).sort();
    expect(failed).toEqual([`footage:${ids[0]}`, `footage:${ids[2]}`].sort());
  });

  it("runs its periodic sweep only when it has the turn (one of several servers sharing the files), a user's sweep always", async () => {
    const sql = await open();
    const { catalogue, disk } = await seed(sql, 1);
    const asked: number[] = [];
    let mine = false;
    const { checker } = integrity(sql, catalogue, disk, new Map(), {
      options: { pauseMs: 0, everyMs: 40, startDelayMs: 0 },
      turn: (ms) => { asked.push(ms); return Promise.resolve(mine); },
    });
    checker.start();
    try {
      await vi.waitFor(() => expect(asked.length).toBeGreaterThan(2), { timeout: 10_000 });
      expect(asked[0]).toBe(36);
      expect(await checker.last()).toBeNull();
      mine = true;
      await vi.waitFor(async () => expect(await checker.last()).toMatchObject({ startedBy: "system", footage: 1 }), { timeout: 10_000 });
      mine = false;
      // Once a system sweep under way is over (one at a time), a user's runs, turn or not.
      await vi.waitFor(async () => expect(await checker.sweep("ada")).toMatchObject({ startedBy: "ada" }), { timeout: 10_000 });
    } finally {
      await checker.stop();
    }
  });
});
