/**
 * The options of `npm run sitl` (the default command), checked together so a user sees every problem at once,
 * and the server command line printed for the links the vehicles got.
 */
import { DEFAULT_HOME, parseHome } from "./homes";
import { SITL_BASE_PORT } from "./binary";
import type { SysidParamChoice } from "./sysid";
import type { Home } from "./types";

export const MAX_VEHICLES = 20;

export type Backend = "builtin" | "docker" | "binary";

/** As commander hands them over: strings for everything with a value. */
export interface RawStartOptions {
  vehicles: string;
  docker?: boolean;
  binary?: string;
  home?: string;
  basePort: string;
  udp?: string;
  fastBoot?: boolean;
  sysidBase: string;
  speedup?: string;
  defaults?: string;
  mission?: string;
  faults?: string;
  paramName: string;
  workDir?: string;
}

export interface StartOptions {
  backend: Backend;
  vehicles: number;
  /** Null when not given: a --mission's own home is used, else DEFAULT_HOME. */
  home: Home | null;
  basePort: number;
  udp: { host: string; port: number } | null;
  fastBoot: boolean;
  sysidBase: number;
  speedup?: number;
  binary?: string;
  defaults?: string;
  mission?: string;
  faults?: string;
  paramName: SysidParamChoice;
  workDir?: string;
}

function intIn(text: string, min: number, max: number, name: string, problems: string[]): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) problems.push(`${name}: expected a whole number from ${min} to ${max}, got "${text}"`);
  return n;
}

/** Options that make sense only for some backends: naming the wrong one is a mistake worth reporting. */
const ONLY_FOR: [keyof RawStartOptions, string, Backend[]][] = [
  ["udp", "--udp", ["builtin"]],
  ["fastBoot", "--fast-boot", ["builtin"]],
  ["mission", "--mission", ["builtin"]],
  ["faults", "--faults", ["builtin"]],
  ["defaults", "--defaults", ["binary"]],
  ["workDir", "--work-dir", ["docker", "binary"]],
];

export function checkStartOptions(raw: RawStartOptions): { ok: true; options: StartOptions } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  if (raw.docker === true && raw.binary !== undefined) problems.push("--docker and --binary: choose one backend");
  const backend: Backend = raw.docker === true ? "docker" : raw.binary !== undefined ? "binary" : "builtin";
  for (const [key, flag, backends] of ONLY_FOR) {
    if (raw[key] !== undefined && raw[key] !== false && !backends.includes(backend)) {
      problems.push(`${flag} works only with ${backends.map((b) => (b === "builtin" ? "the built-in simulator" : `--${b}`)).join(" or ")}`);
    }
  }
  const vehicles = intIn(raw.vehicles, 1, MAX_VEHICLES, "--vehicles", problems);
  const basePort = intIn(raw.basePort, 1024, 65535 - 10 * MAX_VEHICLES, "--base-port", problems);
  const sysidBase = intIn(raw.sysidBase, 1, 250, "--sysid-base", problems);
  if (Number.isInteger(sysidBase) && Number.isInteger(vehicles) && sysidBase + vehicles - 1 > 250) {
    problems.push(`--sysid-base ${sysidBase} with ${vehicles} vehicles goes past 250 (251..255 are for ground stations)`);
  }
  let home: Home | null = null;
  if (raw.home !== undefined) {
    try {
      home = parseHome(raw.home);
    } catch (err) {
      problems.push(`--home: ${(err as Error).message}`);
    }
  }
  let udp: StartOptions["udp"] = null;
  if (raw.udp !== undefined) {
    const m = /^([^:\s]+):(\d+)$/.exec(raw.udp);
    const port = Number(m?.[2]);
    if (m === null || !(port >= 1 && port <= 65535)) problems.push(`--udp: expected HOST:PORT, e.g. 127.0.0.1:14550, got "${raw.udp}"`);
    else udp = { host: m[1]!, port };
  }
  let speedup: number | undefined;
  if (raw.speedup !== undefined) {
    speedup = Number(raw.speedup);
    if (!(speedup > 0 && speedup <= 100)) problems.push(`--speedup: expected a number above 0, up to 100, got "${raw.speedup}"`);
  }
  if (!["auto", "MAV_SYSID", "SYSID_THISMAV"].includes(raw.paramName)) {
    problems.push(`--param-name: expected auto, MAV_SYSID or SYSID_THISMAV, got "${raw.paramName}"`);
  }
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    options: {
      backend, vehicles, home, basePort, udp, fastBoot: raw.fastBoot === true, sysidBase,
      paramName: raw.paramName as SysidParamChoice,
      ...(speedup !== undefined ? { speedup } : {}),
      ...(raw.binary !== undefined ? { binary: raw.binary } : {}),
      ...(raw.defaults !== undefined ? { defaults: raw.defaults } : {}),
      ...(raw.mission !== undefined ? { mission: raw.mission } : {}),
      ...(raw.faults !== undefined ? { faults: raw.faults } : {}),
      ...(raw.workDir !== undefined ? { workDir: raw.workDir } : {}),
    },
  };
}

export const DEFAULTS = { vehicles: "1", basePort: String(SITL_BASE_PORT), sysidBase: "1", paramName: "auto", home: DEFAULT_HOME };

/** The links a server should open for what the vehicles serve: tcpout per TCP port, one udpin for a UDP stream. */
export function serverCommand(links: readonly string[], extra: readonly string[] = []): string {
  return ["npm start --", ...links.flatMap((l) => ["--link", l]), ...extra].join(" ");
}
