/**
 * Login throttling through the real HTTP route, real scrypt and SQLite: concurrent guesses cannot race past the
 * limit, an attacker cannot lock the administrator out, and refused guesses do not flood the audit log. Clients
 * connect from other loopback addresses (127.0.0.x) so the server sees distinct addresses.
 */
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../server/main";
import { TEST_PASSWORD, createUser, startTestServer, waitFor } from "../helpers/server";

interface Answer {
  status: number;
  retryAfter: string | undefined;
}

const ATTACKER = "127.0.0.2";
const ADMIN_DESK = "127.0.0.3";

describe("login throttling under concurrent guesses", () => {
  let server: RunningServer;
  const clock = { now: Date.parse("2025-06-01T08:00:00Z") };

  beforeAll(async () => {
    server = await startTestServer({}, { clock: () => clock.now, housekeepingMs: 50 });
    await createUser(server, "chief", ["admin"]);
  });
  afterAll(async () => server?.close());

  function post(from: string, name: string, password: string): Promise<Answer> {
    const body = JSON.stringify({ name, password });
    return new Promise((resolve, reject) => {
      const req = http.request({
        host: "127.0.0.1", port: server.httpPort, path: "/api/auth/login", method: "POST", localAddress: from, agent: false,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      }, (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers["retry-after"] }));
      });
      req.on("error", reject);
      req.end(body);
    });
  }

  const guesses = (n: number, tag: string) => Promise.all(Array.from({ length: n }, (_, i) => post(ATTACKER, "chief", `${tag} guess ${i}`)));
  const statuses = (answers: Answer[], status: number) => answers.filter((a) => a.status === status).length;
  const throttledCounts = async () => (await server.audit.list(1000))
    .filter((e) => e.action === "login_failed" && e.result === "rate_limited" && e.address === ATTACKER)
    .map((e) => ({ minute: e.time.slice(0, 16), count: (JSON.parse(e.detail) as { count: number }).count }));

  it("verifies at most the limit of 100 concurrent guesses: the rest are refused before hashing", async () => {
    const answers = await guesses(100, "first");
    // A 401 is a guess whose password was verified; a 429 never reached scrypt.
    expect(statuses(answers, 401)).toBe(5);
    expect(statuses(answers, 429)).toBe(95);
    expect(answers.filter((a) => a.status === 429).every((a) => a.retryAfter === "1")).toBe(true);
    const rows = server.db.prepare("SELECT count(*) AS n FROM login_attempts WHERE name = 'chief' AND pending = 0").get();
    expect(rows).toEqual({ n: 5 });
  });

  it("lets the administrator in from another address while the attacker hammers the name", async () => {
    const [attack, admin] = await Promise.all([guesses(50, "second"), post(ADMIN_DESK, "chief", TEST_PASSWORD)]);
    expect(admin.status).toBe(200);
    expect(statuses(attack, 401)).toBe(0);
    expect(statuses(attack, 429)).toBe(50);
    // The administrator's login did not reset the attacker's wait.
    expect((await post(ATTACKER, "chief", TEST_PASSWORD)).status).toBe(429);
  });

  it("audits the 146 refused guesses as counts, one entry a minute, the tail written by housekeeping", async () => {
    expect(await throttledCounts()).toEqual([{ minute: "2025-06-01T08:00", count: 1 }]);
    clock.now += 60_000;
    await waitFor("the minute's refusals in the audit log", async () => (await throttledCounts()).length === 2);
    expect((await throttledCounts()).map((e) => e.count)).toEqual([145, 1]);
    expect((await server.audit.verify()).ok).toBe(true);
  });
});
