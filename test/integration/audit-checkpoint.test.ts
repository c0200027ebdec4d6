import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHECKPOINT_FILE, EXPORT_FORMAT } from "../../server/audit";
import type { CheckpointExport } from "../../server/audit";
import type { RunningServer } from "../../server/main";
import { api, signIn, startTestServer } from "../helpers/server";

let server: RunningServer;
let dataDir: string;
const checkpointLines = () => fs.readFileSync(path.join(dataDir, CHECKPOINT_FILE), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { entryId: number });

beforeAll(async () => {
  server = await startTestServer();
  dataDir = path.dirname(server.db.name);
});
afterAll(async () => {
  await server?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("signed audit checkpoints in the server", () => {
  it("exports the latest checkpoint to admins only, and audits the export", async () => {
    const observer = await signIn(server, ["observer"]);
    const refused = await api(server, observer, "/api/audit/checkpoint");
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ error: { code: "forbidden", message: "needs role admin" } });
    expect((await api(server, null, "/api/audit/checkpoint")).status).toBe(401);

    const admin = await signIn(server, ["admin"], "chief");
    const res = await api(server, admin, "/api/audit/checkpoint");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="audit-checkpoint-\d+\.json"$/);
    const body = (await res.json()) as CheckpointExport;
    const head = (await server.audit.list(1))[0]!;
    expect(head).toMatchObject({ action: "audit_checkpoint_exported", actor: "chief", result: "ok" });
    // It covers its own export.
    expect(body).toMatchObject({ format: EXPORT_FORMAT, checkpoint: { entryId: head.id, entryHash: head.hash }, publicKey: expect.stringMatching(/^-----BEGIN PUBLIC KEY-----/) });
    expect(await server.audit.verify({ exported: body })).toMatchObject({ ok: true, keyFingerprint: body.keyFingerprint });
  });

  it("signs the head at close, and keeps its key across restarts", async () => {
    const fingerprint = (await server.audit.verify()).keyFingerprint;
    const keyFile = path.join(dataDir, "keys", "audit-ed25519.pem");
    const key = fs.readFileSync(keyFile, "utf8");
    const admin = await signIn(server, ["admin"], "chief");
    expect((await api(server, admin, "/api/auth/me")).status).toBe(200);
    const head = (await server.audit.list(1))[0]!;
    expect(checkpointLines().at(-1)!.entryId).toBeLessThan(head.id);
    await server.close();
    expect(checkpointLines().at(-1)!.entryId).toBe(head.id);

    server = await startTestServer({ dataDir });
    const r = await server.audit.verify();
    expect(r).toMatchObject({ ok: true, keyFingerprint: fingerprint });
    // The exported one and the one at close; nothing new happened since, so the restart signed nothing.
    expect(r.checkpoints).toBe(2);
    expect(fs.readFileSync(keyFile, "utf8")).toBe(key);
  });
});
