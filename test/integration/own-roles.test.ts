/**
 * An administrator who changes their own roles on the admin page stays signed in: the answer carries a fresh
 * session with the new roles, while their other sessions end as anyone's do when their roles change.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../server/main";
import { api, createUser, login, openSocket, startTestServer, waitFor } from "../helpers/server";

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer();
  await createUser(server, "chief", ["admin"]);
  await createUser(server, "deputy", ["admin"]);
});
afterAll(() => server.close());

function sessionCookie(res: Response): string | null {
  const m = /dmc_session=([^;]+)/.exec(res.headers.get("set-cookie") ?? "");
  return m ? `dmc_session=${m[1]}` : null;
}

describe("changing roles", () => {
  it("keeps the admin who changed their own roles signed in, with the new roles", async () => {
    const here = await login(server, "chief");
    const elsewhere = await login(server, "chief");
    const socket = openSocket(server.httpPort, here);
    const ended: string[] = [];
    socket.on("session:ended", (reason) => ended.push(reason));
    await waitFor("socket connected", () => socket.connected);

    const res = await api(server, here, "/api/users/chief", { method: "PATCH", body: JSON.stringify({ roles: ["admin", "reviewer"] }) });
    expect(res.status).toBe(200);
    const renewed = sessionCookie(res);
    expect(renewed).not.toBeNull();
    expect(renewed).not.toBe(here);
    const me = await api(server, renewed, "/api/auth/me");
    expect(await me.json()).toEqual({ user: { name: "chief", roles: ["admin", "reviewer"] } });
    expect((await api(server, renewed, "/api/flights")).status).toBe(200);
    // The sessions with the old roles are over, and their live connection is told so.
    expect((await api(server, here, "/api/auth/me")).status).toBe(401);
    expect((await api(server, elsewhere, "/api/auth/me")).status).toBe(401);
    await waitFor("old socket told", () => ended.length > 0);
    expect(ended).toEqual(["your roles changed"]);
    socket.close();
  });

  it("ends another user's sessions and gives the admin no session of theirs", async () => {
    await createUser(server, "pilot1", ["pilot"]);
    const theirs = await login(server, "pilot1");
    const admin = await login(server, "deputy");
    const res = await api(server, admin, "/api/users/pilot1", { method: "PATCH", body: JSON.stringify({ roles: ["observer"] }) });
    expect(res.status).toBe(200);
    expect(sessionCookie(res)).toBeNull();
    expect((await api(server, theirs, "/api/auth/me")).status).toBe(401);
    expect((await api(server, admin, "/api/auth/me")).status).toBe(200);
  });
});
