/**
 * The ingest on each engine, with real files (ffprobe, hashing, thumbnails): the same bytes uploaded to two servers
 * sharing the database at once are stored once; the other upload is told which footage it is, as when it comes later.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { expect, it } from "vitest";
import type { AuditInput } from "../audit";
import { describeOnEngines } from "../../test/support/storage/engines";
import { makeVideo } from "../../test/helpers/video";
import { FootageCatalogue } from "./catalogue";
import { FsEvidenceStore } from "./evidence-store";
import { FootageIngest } from "./ingest";

describeOnEngines("the footage ingest", ({ open }) => {
  it("the same original uploaded to two servers at once is stored once; the other upload is a duplicate of it", { timeout: 60_000 }, async () => {
    const sql = await open();
    const video = makeVideo({ seconds: 1, creationTime: "2026-11-21T09:00:00Z" });
    const audits: AuditInput[] = [];
    // Two servers: each its own data directory (upload area, evidence store, derived files) and catalogue.
    const servers = ["a", "b"].map((name, n) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), `dmc-ingest-${name}-`));
      const catalogue = new FootageCatalogue(sql);
      const upload = String(n + 1).repeat(32);
      const file = path.join(dir, "uploads", upload);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.copyFileSync(video, file);
      const ingest = new FootageIngest({
        catalogue, evidence: new FsEvidenceStore(path.join(dir, "evidence")), derivedDir: path.join(dir, "derived"),
        audit: { record: (a) => { audits.push(a); } }, log: pino({ level: "silent" }), now: Date.now,
        discard: (id) => fs.promises.rm(path.join(dir, "uploads", id), { force: true }),
      });
      return { catalogue, ingest, upload, file, owner: `user-${name}` };
    });
    for (const s of servers) await s.catalogue.startUpload(s.upload, s.owner, `DJI_${s.owner}.MP4`, fs.statSync(video).size, Date.now());
    await Promise.all(servers.map((s) => s.ingest.enqueue(s.upload, s.file)));

    const footage = await servers[0]!.catalogue.all();
    expect(footage).toHaveLength(1);
    const f = footage[0]!;
    const uploads = await Promise.all(servers.map((s) => s.catalogue.upload(s.upload)));
    expect(uploads.map((u) => u?.state).sort()).toEqual(["duplicate", "stored"]);
    expect(uploads.map((u) => u?.footageId)).toEqual([f.id, f.id]);
    const duplicate = uploads.find((u) => u?.state === "duplicate")!;
    expect(duplicate.message).toBe(`already stored as footage ${f.id} ("${f.originalName}", uploaded by ${f.uploadedBy})`);
    expect(audits.map((a) => a.action).sort()).toEqual(["footage_duplicate", "footage_stored"]);
    expect(audits.find((a) => a.action === "footage_duplicate")).toMatchObject({ actor: duplicate.owner, target: `footage:${f.id}`, detail: { upload: duplicate.id } });
    // Neither upload area keeps the bytes.
    for (const s of servers) expect(fs.existsSync(s.file)).toBe(false);
    expect(await servers[1]!.catalogue.uploadsOf(f.id)).toHaveLength(2);
    for (const s of servers) await s.ingest.stop();
  });
});
