/**
 * A multi-GB upload through the real tus client into a running server: the SHA-256 the server records is the one
 * sha256sum gives for the file. (Throughput is measured by npm run bench:footage, not here.)
 */
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../server/main";
import type { FootageSummary } from "../../server/protocol";
import { ingested, makeLargeVideo, sha256sum, tusUpload } from "../helpers/footage";
import { api, signIn, startTestServer } from "../helpers/server";

const SIZE = 2.5 * 1024 ** 3;
let server: RunningServer;
let file: string;

beforeAll(async () => {
  server = await startTestServer();
  file = makeLargeVideo(SIZE);
}, 120_000);
afterAll(async () => {
  await server?.close();
  if (file) fs.rmSync(file, { force: true });
});

describe("a 2.5 GiB footage file", () => {
  it("uploads in 64 MiB pieces and is stored under the SHA-256 that sha256sum gives", async () => {
    const cookie = await signIn(server, ["reviewer"], "rita");
    const run = await tusUpload(server, cookie, file, { chunkSize: 64 * 1024 * 1024 });
    const status = await ingested(server, cookie, run.url!, 240_000);
    expect(status).toMatchObject({ state: "stored", sizeBytes: fs.statSync(file).size });
    const f = (await (await api(server, cookie, `/api/footage/${status.footageId}`)).json()) as FootageSummary;
    expect(f.sha256).toBe(sha256sum(file));
    expect(f.probe.durationS).toBeCloseTo(2, 0);
  }, 300_000);
});
