/**
 * The flight controller: turns the mode (and GUIDED targets, RTL phases, AUTO's current item) into a Demand for
 * the point-mass, the way ArduCopter's modes behave seen from outside:
 * - GUIDED flies to the last target and holds; takeoff climbs straight up;
 * - LAND descends at WPNAV_SPEED_DN down to 10 m, then LAND_SPEED, and lands where it is;
 * - RTL climbs to RTL_ALT (never descends to it), flies home, waits RTL_LOIT_TIME, then lands;
 * - BRAKE, LOITER, POSHOLD, ALT_HOLD, STABILIZE hold where they are (no RC sticks here).
 * Speeds in metres and m/s; parameters in ArduPilot's units (cm, cm/s) are converted here.
 */
import { MODE } from "./modes";
import type { Demand, PhysicsState } from "./physics";

export interface FlightParams {
  /** m/s */
  speed: number;
  climb: number;
  descent: number;
  landSpeed: number;
  /** m */
  rtlAlt: number;
}

export type RtlPhase = "climb" | "return" | "loiter" | "land";

export interface Point {
  north: number;
  east: number;
  up: number;
}

const LAND_SLOW_BELOW_M = 10;
const ARRIVED_M = 1;
const RTL_LOITER_MS = 5000;

export class FlightController {
  /** GUIDED / hold target. */
  target: Point | null = null;
  rtlPhase: RtlPhase = "climb";
  private rtlLoiterSince = 0;
  /** DO_CHANGE_SPEED in GUIDED (m/s), until the next mode change. */
  speedOverride: number | null = null;

  /** A new mode starts from where the vehicle is. */
  enterMode(mode: number, s: PhysicsState): void {
    this.speedOverride = null;
    this.target = { north: s.north, east: s.east, up: s.landed ? 0 : s.up };
    if (mode === MODE.RTL) this.rtlPhase = "climb";
  }

  hold(s: PhysicsState): void {
    this.target = { north: s.north, east: s.east, up: s.landed ? 0 : s.up };
  }

  /** The demand for a mode other than AUTO (AUTO maps its items through flyTo/land/rtl). */
  demand(mode: number, s: PhysicsState, p: FlightParams, now: number): Demand {
    switch (mode) {
      case MODE.LAND:
        return this.landDemand(s, p);
      case MODE.RTL:
        return this.rtlDemand(s, p, now);
      default:
        return this.gotoDemand(s, p);
    }
  }

  gotoDemand(s: PhysicsState, p: FlightParams): Demand {
    const t = this.target ?? { north: s.north, east: s.east, up: s.up };
    return {
      kind: "goto", north: t.north, east: t.east, up: t.up, speed: this.speedOverride ?? p.speed,
      climb: p.climb, descent: p.descent,
    };
  }

  landDemand(s: PhysicsState, p: FlightParams): Demand {
    const t = this.target ?? { north: s.north, east: s.east, up: 0 };
    const rate = s.up > LAND_SLOW_BELOW_M ? p.descent : p.landSpeed;
    return { kind: "descend", north: t.north, east: t.east, rate };
  }

  rtlDemand(s: PhysicsState, p: FlightParams, now: number): Demand {
    const alt = Math.max(p.rtlAlt, this.target?.up ?? 0);
    switch (this.rtlPhase) {
      case "climb": {
        if (s.up >= alt - 0.5) {
          this.rtlPhase = "return";
          this.target = { north: 0, east: 0, up: alt };
        }
        const here = this.target ?? s;
        return { kind: "goto", north: here.north, east: here.east, up: alt, speed: p.speed, climb: p.climb, descent: p.descent };
      }
      case "return": {
        if (Math.hypot(s.north, s.east) < ARRIVED_M) {
          this.rtlPhase = "loiter";
          this.rtlLoiterSince = now;
        }
        return { kind: "goto", north: 0, east: 0, up: alt, speed: p.speed, climb: p.climb, descent: p.descent };
      }
      case "loiter":
        if (now - this.rtlLoiterSince >= RTL_LOITER_MS) this.rtlPhase = "land";
        return { kind: "goto", north: 0, east: 0, up: alt, speed: p.speed, climb: p.climb, descent: p.descent };
      case "land":
        this.target = { north: 0, east: 0, up: 0 };
        return this.landDemand(s, p);
    }
  }

  /** Is the vehicle in a phase that ends on the ground (so touching down means "landed, disarm")? */
  landing(mode: number): boolean {
    return mode === MODE.LAND || (mode === MODE.RTL && this.rtlPhase === "land");
  }
}
