import { describe, expect, it, vi } from "vitest";
import { fetchClientConfig } from "./config";

const respond = (status: number, body: unknown) =>
  vi.fn<typeof fetch>(async () => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } }));

describe("fetchClientConfig", () => {
  it("returns the config", async () => {
    const config = { tileUrl: null, tileAttribution: "", tickMs: 100, lostAfterMs: 5000, version: "0.1.0" };
    await expect(fetchClientConfig(respond(200, config))).resolves.toEqual(config);
  });

  it("rejects an HTTP error or a malformed body", async () => {
    await expect(fetchClientConfig(respond(503, {}))).rejects.toThrow("HTTP 503");
    await expect(fetchClientConfig(respond(200, { tileUrl: 3 }))).rejects.toThrow("unexpected response");
  });
});
