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
    /** Multiply timeouts by this (a real SITL at speedup 1 is slower than the built-in one). */
    sitlTimeScale: number;
  }
}

let fleet: SimFleet | null = null;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.SITL_LINKS?.split(",").map((s) => s.trim()).filter(Boolean) ?? [];
  if (external.length > 0) {
    project.provide("sitlLinks", external);
    project.provide("sitlBackend", "external");
    project.provide("sitlTimeScale", Number(process.env.SITL_TIME_SCALE ?? 4));
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
  project.provide("sitlTimeScale", 1);
  return async () => {
    await fleet?.stop();
  };
}
