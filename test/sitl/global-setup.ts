/**
 * The vehicle-facing suite runs against whatever SITL_LINKS names (comma-separated tcpout:// URLs of real
 * ArduPilot SITL instances, docker or native), or, by default, against the built-in simulator started here.
 */
import pino from "pino";
import type { TestProject } from "vitest/node";
import { SimFleet } from "../../sitl/sim/fleet";

declare module "vitest" {
  export interface ProvidedContext {
    sitlLinks: string[];
    sitlBackend: "builtin" | "external";
    /** Multiply timeouts by this (a real SITL at speedup 1 is slower than the built-in one): see scale.ts. */
    sitlTimeScale: number;
  }
}

let fleet: SimFleet | null = null;

/** SITL_TIME_SCALE (a positive number) when set, else the backend's default; see scale.ts. */
function timeScale(fallback: number): number {
  const raw = process.env.SITL_TIME_SCALE;
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`SITL_TIME_SCALE must be a positive number, got "${raw}"`);
  return value;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.SITL_LINKS?.split(",").map((s) => s.trim()).filter(Boolean) ?? [];
  if (external.length > 0) {
    project.provide("sitlLinks", external);
    project.provide("sitlBackend", "external");
    project.provide("sitlTimeScale", timeScale(4));
    return async () => {};
  }
  fleet = new SimFleet({
    vehicles: [
      { sysid: 1, home: { lat: 51.5073998, lon: -0.1278, altAmsl: 10.09 } },
      { sysid: 2, home: { lat: 51.5090, lon: -0.1250, altAmsl: 12 } },
      { sysid: 3, home: { lat: 51.5055, lon: -0.0754, altAmsl: 8 } },
    ],
    transport: { kind: "tcp", host: "127.0.0.1", basePort: 0 },
    // Ready to arm ~2.3 s (real) after start: late enough that the first arming attempt is refused.
    bootTimeScale: 0.5,
    speedup: 5,
    logger: pino({ level: "silent" }),
  });
  const { links } = await fleet.start();
  project.provide("sitlLinks", links);
  project.provide("sitlBackend", "builtin");
  project.provide("sitlTimeScale", timeScale(1));
  return async () => {
    await fleet?.stop();
  };
}
