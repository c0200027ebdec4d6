import http from "node:http";
import { io } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../server/main";
import { signIn, startTestServer } from "../helpers/server";

let server: RunningServer;
let cookie: string;
beforeAll(async () => {
  server = await startTestServer({ allowedHosts: ["mc.unit.example"] });
  cookie = await signIn(server, ["observer"]);
});
afterAll(async () => {
  await server.close();
});

function get(path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port: server.httpPort, path, headers: { cookie, ...headers } }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

function handshake(origin: string): Promise<"connected" | string> {
  return new Promise((resolve) => {
    const socket = io(`http://127.0.0.1:${server.httpPort}`, { transports: ["websocket"], reconnection: false, extraHeaders: { origin, cookie } });
    socket.on("vehicles:snapshot", () => {
      socket.close();
      resolve("connected");
    });
    socket.on("connect_error", (err) => {
      socket.close();
      resolve(err.message);
    });
  });
}

describe("who may read the server from a browser", () => {
  it("refuses a WebSocket from another web page's origin, accepts the server's own", async () => {
    expect(await handshake("http://evil.example")).not.toBe("connected");
    expect(await handshake(`http://127.0.0.1:${server.httpPort}`)).toBe("connected");
  });

  it("refuses host names it was not told about (DNS rebinding), with a reason", async () => {
    const refused = await get("/api/vehicles", { host: `evil.example:${server.httpPort}` });
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body)).toMatchObject({ error: { code: "forbidden_origin" } });
    expect((await get("/api/vehicles", { host: `mc.unit.example:${server.httpPort}` })).status).toBe(200);
    expect((await get("/api/vehicles", { host: `localhost:${server.httpPort}` })).status).toBe(200);
  });
});
