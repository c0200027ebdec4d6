/**
 * The boot timeline of a fresh ArduCopter SITL, as recorded (copter_flight_1, seconds after start): nothing can be
 * armed until the EKF has an origin and the pre-arm checks pass, and ground stations must cope with that.
 * `bootTimeScale` shrinks it for tests (0.05 = twenty times faster).
 */
export interface BootStage {
  /** Seconds after start at scale 1. */
  at: number;
  texts: readonly string[];
}

/** Stage times (s) from the recording; texts are what the vehicle said then (severity 6 INFO). */
export const BOOT_TIMES = {
  heartbeat: 0.9,
  ready: 2.4,
  ekfInit: 4.4,
  gpsFix: 9.9,
  origin: 19.9,
  prearm: 23.4,
  usingGps: 41.4,
} as const;

export type BootStageName = keyof typeof BOOT_TIMES;

const TEXTS: Record<BootStageName, readonly string[]> = {
  heartbeat: ["Calibrating barometer"],
  ready: ["Barometer 1 calibration complete", "ArduPilot Ready", "AHRS: DCM active"],
  ekfInit: ["EKF3 IMU0 initialised", "AHRS: EKF3 active", "EKF3 IMU0 tilt alignment complete",
    "EKF3 IMU0 MAG0 initial yaw alignment complete"],
  gpsFix: ["GPS 1: detected u-blox"],
  origin: ["EKF3 IMU0 origin set"],
  prearm: [],
  usingGps: ["EKF3 IMU0 is using GPS"],
};

const ORDER = Object.keys(BOOT_TIMES) as BootStageName[];

export class BootTimeline {
  private reached = new Set<BootStageName>();

  constructor(private readonly scale: number) {}

  restart(): void {
    this.reached = new Set();
  }

  has(stage: BootStageName): boolean {
    return this.reached.has(stage);
  }

  /** Stages newly reached `elapsedMs` after start, in order, each with its texts. */
  advance(elapsedMs: number): { stage: BootStageName; texts: readonly string[] }[] {
    const out: { stage: BootStageName; texts: readonly string[] }[] = [];
    for (const stage of ORDER) {
      if (this.reached.has(stage)) continue;
      if (elapsedMs < BOOT_TIMES[stage] * 1000 * this.scale) break;
      this.reached.add(stage);
      out.push({ stage, texts: TEXTS[stage] });
    }
    return out;
  }

  /** Why arming is refused now, as the vehicle says it (STATUSTEXT), or null when the boot allows it. */
  armBlocker(): string | null {
    if (!this.has("ready")) return "PreArm: System not initialised";
    if (!this.has("gpsFix")) return "PreArm: GPS 1: was not found";
    if (!this.has("origin")) return "PreArm: GPS: waiting for home";
    if (!this.has("prearm")) return "PreArm: Need Position Estimate";
    return null;
  }
}
