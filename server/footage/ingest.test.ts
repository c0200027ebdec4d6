/**
 * The ingest on each engine, with real files (ffprobe, hashing, thumbnails): the same bytes uploaded to two servers
 * sharing the database at once are stored once; the other upload is told which footage it is, as when it comes later.
 * An upload stopped between the evidence store and the catalogue (a crash) is catalogued at the next start.
 */
import { createHash } from "node:crypto";
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

  it("stopped after the original is taken in and before it is catalogued, the upload is catalogued at the next start, with nothing left behind", { timeout: 60_000 }, async () => {
    const sql = await open();
    const video = makeVideo({ seconds: 1, creationTime: "2026-11-21T09:00:00Z" });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dmc-ingest-crash-"));
    const upload = "c".repeat(32);
    const file = path.join(dir, "uploads", upload);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.copyFileSync(video, file);
    const audits: AuditInput[] = [];
    const evidence = new FsEvidenceStore(path.join(dir, "evidence"));
    const ingestWith = (catalogue: FootageCatalogue) => new FootageIngest({
      catalogue, evidence, derivedDir: path.join(dir, "derived"),
      audit: { record: (a) => { audits.push(a); } }, log: pino({ level: "silent" }), now: Date.now,
      discard: (id) => fs.promises.rm(path.join(dir, "uploads", id), { force: true }),
    });
    const catalogue = new FootageCatalogue(sql);
    await catalogue.startUpload(upload, "rita", "DJI_0001.MP4", fs.statSync(video).size, Date.now());
    // The server stops (here: the catalogue fails) at the moment between the two.
    const failing = Object.create(catalogue) as FootageCatalogue;
    failing.addFootage = () => Promise.reject(new Error("the process ended here"));
    const first = ingestWith(failing);
    await first.enqueue(upload, file);
    await first.stop();
    const sha256 = createHash("sha256").update(fs.readFileSync(video)).digest("hex");
    expect(await evidence.size(sha256)).toBe(fs.statSync(video).size);
    expect(await catalogue.upload(upload)).toMatchObject({ state: "processing", sha256 });
    expect(fs.readdirSync(path.dirname(file))).toEqual([]);

    // The next start finds it, probes the stored original again and catalogues it.
    const restarted = ingestWith(catalogue);
    await restarted.recover((id) => path.join(dir, "uploads", id));
    await restarted.stop();
    const footage = await catalogue.all();
    expect(footage).toHaveLength(1);
    expect(footage[0]).toMatchObject({ sha256, originalName: "DJI_0001.MP4", uploadedBy: "rita" });
    expect(await catalogue.upload(upload)).toMatchObject({ state: "stored", footageId: footage[0]!.id });
    expect(audits.map((a) => [a.action, a.detail?.["recovered"]])).toEqual([["footage_stored", true]]);
  });
});
