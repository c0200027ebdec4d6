import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { io } from "socket.io-client";
import type { Socket } from "socket.io-client";
import type { Config } from "../../server/config";
import { startServer } from "../../server/main";
import type { RunningServer } from "../../server/main";
import type { ClientToServerEvents, ServerToClientEvents, VehicleFrame, VehicleState } from "../../server/protocol";

export const FIXTURES = path.resolve(__dirname, "../fixtures");

export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    links: ["udpin://127.0.0.1:0"],
    httpHost: "127.0.0.1",
    httpPort: 0,
    allowedHosts: [],
    dataDir: fs.mkdtempSync(path.join(os.tmpdir(), "dmc-test-")),
    gcsSysid: 255,
    gcsCompid: 190,
    passive: false,
    tickMs: 100,
    lostAfterMs: 5000,
    tileUrl: null,
    tileAttribution: "",
    clientDir: path.resolve(__dirname, "../../dist/client"),
    logLevel: "silent",
    ...overrides,
  };
}

export async function startTestServer(overrides: Partial<Config> = {}): Promise<RunningServer> {
  const config = testConfig(overrides);
  return startServer(config, pino({ level: config.logLevel }));
}

export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A real Socket.IO client that keeps every frame and the latest state of each vehicle. */
export async function connectClient(port: number): Promise<{ socket: LiveSocket; frames: VehicleFrame[]; latest: Map<string, VehicleState> }> {
  const socket: LiveSocket = io(`http://127.0.0.1:${port}`, { transports: ["websocket"], reconnection: false });
  const frames: VehicleFrame[] = [];
  const latest = new Map<string, VehicleState>();
  socket.on("vehicles:frame", (frame) => {
    frames.push(frame);
    for (const v of frame.vehicles) latest.set(v.key, v);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once("vehicles:snapshot", (snapshot) => {
      for (const v of snapshot.vehicles) latest.set(v.key, v);
      resolve();
    });
    socket.once("connect_error", reject);
  });
  return { socket, frames, latest };
}

export async function waitFor<T>(what: string, check: () => T | undefined | null | false | Promise<T | undefined | null | false>, timeoutMs = 10_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
