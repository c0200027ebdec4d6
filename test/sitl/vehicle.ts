/**
 * What every file of the vehicle-facing suite does to be independent of file order and of what an earlier file left
 * (vitest runs failed files first; a real SITL may be seconds old or hours old): wait until the vehicle is up, note
 * its mode, and afterwards put it back disarmed on the ground, with no mission, fence or rally points, in that mode.
 * Through the product's own CommandClient and MissionClient on a ClientLink (one connection per file: a SITL TCP
 * port serves one client at a time).
 */
import type { VehicleState } from "../../server/protocol";
import type { CommandClient, CommandTarget, MissionClient } from "../../server/vehicles";
import { T, sleep } from "./scale";

export interface VehicleSession {
  target: CommandTarget;
  state: () => VehicleState;
  commands: CommandClient;
  missions: MissionClient;
}

/** Polls the ground station's view of the vehicle until `check` holds; the error says what it was waiting for. */
export async function until(session: Pick<VehicleSession, "state">, what: string, check: (v: VehicleState) => boolean,
  timeoutMs: number): Promise<VehicleState> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (check(session.state())) return session.state();
    await sleep(50);
  }
  const v = session.state();
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; status ${v.systemStatus}, mode ${v.mode}, `
    + `armed ${v.armed}, alt ${v.position?.altRelative ?? "?"}`);
}

/** Past its boot: a HEARTBEAT no longer saying BOOT (ArduPilot has initialised, its mission storage is ready). */
export function untilStarted(session: Pick<VehicleSession, "state">): Promise<VehicleState> {
  const booting = new Set(["unknown", "uninit", "boot"]);
  return until(session, "the vehicle to finish booting", (v) => !booting.has(v.systemStatus), T(60_000));
}

/** Modes a vehicle is only left in by a flight that ended (or failed) there; their baseline is STABILIZE. */
const LEFTOVER_MODES: ReadonlySet<string> = new Set(["AUTO", "RTL", "SMART_RTL", "LAND", "BRAKE"]);

/** The mode to put a vehicle back in: the one it was found in, unless that is what a flight leaves behind. */
export function baselineMode(found: string): string {
  return LEFTOVER_MODES.has(found) ? "STABILIZE" : found;
}

/**
 * Puts the vehicle back as a file found it: landed and disarmed (LAND if still armed), mission, fence and rally
 * lists cleared, and in baselineMode(`mode`) (`mode`: the one it had at the start). Returns what could not be
 * restored, in words.
 */
export async function restoreVehicle(session: VehicleSession, found: string): Promise<string[]> {
  const mode = baselineMode(found);
  const problems: string[] = [];
  const { commands, missions, target } = session;
  if (session.state().armed) {
    const land = await commands.setMode(target, "LAND", { timeoutMs: T(1500) });
    if (!land.ok) problems.push(`LAND: ${land.text}`);
    await until(session, "disarmed after landing", (v) => !v.armed, T(120_000)).catch((e: Error) => problems.push(e.message));
  }
  const cleared = await missions.clearPlan(target);
  if (!cleared.ok) problems.push(`clearing the plan: ${cleared.error.message}`);
  if (session.state().mode !== mode) {
    const back = await commands.setMode(target, mode, { timeoutMs: T(1500) });
    if (!back.ok) problems.push(`mode ${mode}: ${back.text}`);
  }
  return problems;
}
