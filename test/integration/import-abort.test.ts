import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { RunningServer } from "../../server/main";
import { FIXTURES, api, signIn, startTestServer, waitFor } from "../helpers/server";

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("an upload cut off mid-way", () => {
  it("leaves no partial file and does not hold the import slot", async () => {
    server = await startTestServer();
    const dataDir = path.dirname(server.db.name);
    const cookie = await signIn(server, ["reviewer"]);
    const origin = `http://127.0.0.1:${server.httpPort}`;
    const boundary = "cut-off-boundary";
    const req = http.request(`${origin}/api/flights/import`, {
      method: "POST",
      headers: { cookie, origin, "content-type": `multipart/form-data; boundary=${boundary}`, "content-length": String(50 * 1024 ** 2) },
    });
    req.on("error", () => {});
    req.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.tlog"\r\nContent-Type: application/octet-stream\r\n\r\n`);
    req.write(Buffer.alloc(256 * 1024, 7));
    await waitFor("the partial upload on disk", () => fs.existsSync(path.join(dataDir, "tmp"))
      && fs.readdirSync(path.join(dataDir, "tmp")).some((f) => f.endsWith(".part")), 5000);
    req.destroy();
    await waitFor("the partial file removed", () => !fs.readdirSync(path.join(dataDir, "tmp")).some((f) => f.endsWith(".part")), 5000);

    const form = new FormData();
    form.set("file", new Blob([fs.readFileSync(path.join(FIXTURES, "copter_flight_1.tlog"))]), "copter_flight_1.tlog");
    const res = await api(server, cookie, "/api/flights/import", { method: "POST", body: form, headers: { origin } });
    expect(res.status).toBe(201);
  }, 30_000);
});
