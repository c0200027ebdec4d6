/**
 * Evidence files in a directory of their own (--files): flights are recorded there, the server's raw logs and its
 * database stay in the data directory, and with the embedded database the files directory belongs to one server.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import type { RunningServer } from "../../server/main";
import { createLink } from "../../server/mavlink";
import type { MavLink } from "../../server/mavlink";
import { DataDirInUseError, FILES_SERVERS_DIR, SERVER_ID_FILE } from "../../server/storage";
import { TlogPlayer } from "../../sitl";
import { api, signIn, startTestServer, waitFor } from "../helpers/server";
import { flightEntries } from "../helpers/udp";

const entries = flightEntries();
const servers: RunningServer[] = [];
let player: MavLink | undefined;
afterEach(async () => {
  await player?.close();
  player = undefined;
  for (const s of servers.splice(0)) await s.close();
});

const temp = (name: string) => fs.mkdtempSync(path.join(os.tmpdir(), `dmc-${name}-`));

describe("--files: the evidence files apart from the data directory", () => {
  it("records flights under it, keeps the database and raw logs in the data directory, and serves the files from it", async () => {
    const [dataDir, files] = [temp("data"), temp("files")];
    const server = await startTestServer({ dataDir, filesDir: files });
    servers.push(server);
    const port = server.links[0]!.localAddress()!.port;
    player = createLink(`udpout://127.0.0.1:${port}`, { id: "player", logger: pino({ level: "silent" }) });
    await player.start();
    const controller = new AbortController();
    const playing = new TlogPlayer(entries, player, { speed: 20, signal: controller.signal }).play();
    const [flight] = await waitFor("a flight recorded", async () => {
      const rows = await server.sql.run<{ id: number; tlog_path: string }>("SELECT id, tlog_path FROM flights");
      return rows.length > 0 && fs.existsSync(path.join(files, rows[0]!.tlog_path)) ? rows : null;
    }, 20_000);
    controller.abort();
    await playing;
    expect(fs.existsSync(path.join(dataDir, flight!.tlog_path))).toBe(false);
    // The raw session logs are this server's own: in the data directory.
    expect(fs.existsSync(path.join(dataDir, "sessions"))).toBe(true);
    expect(fs.existsSync(path.join(files, "sessions"))).toBe(false);
    // The files directory names the servers keeping their files there.
    const id = fs.readFileSync(path.join(dataDir, SERVER_ID_FILE), "utf8").trim();
    expect(fs.readdirSync(path.join(files, FILES_SERVERS_DIR))).toEqual([id]);
    // Sealed at stop, and read back from the files directory after a restart.
    await servers.pop()!.close();
    const again = await startTestServer({ dataDir, filesDir: files });
    servers.push(again);
    const cookie = await signIn(again, ["reviewer"], "rita");
    const verified = await api(again, cookie, `/api/flights/${flight!.id}/verify`, { method: "POST" });
    expect(await verified.json()).toMatchObject({ integrity: { state: "verified" } });
    const health = await api(again, null, "/healthz");
    expect(await health.json()).toMatchObject({ dataDirWritable: true });
  }, 60_000);

  it("with the embedded database, gives the files directory to one server: a second one is refused", async () => {
    const files = temp("files");
    servers.push(await startTestServer({ dataDir: temp("data"), filesDir: files }));
    await expect(startTestServer({ dataDir: temp("data"), filesDir: files })).rejects.toBeInstanceOf(DataDirInUseError);
  });
});
