import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { TestGcs } from "../helpers/gcs";
import { T } from "./scale";

const links = inject("sitlLinks");
let gcs: TestGcs[] = [];
// Reads heartbeats only: it changes nothing on the vehicles, so it has nothing to restore.
beforeAll(async () => {
  gcs = await Promise.all(links.map((url) => TestGcs.connect(url)));
}, T(30_000));
afterAll(async () => {
  await Promise.all(gcs.map((g) => g.close()));
});

describe("several vehicles", () => {
  it("each link is a vehicle of its own, with its own system id", async () => {
    expect(links.length).toBeGreaterThanOrEqual(1);
    const ids = await Promise.all(gcs.map(async (g) => (await g.next("HEARTBEAT", (f, m) => m.compid === 1 && f.type === 2, T(15_000))).sysid));
    expect(new Set(ids).size).toBe(ids.length);
  }, T(30_000));
});
