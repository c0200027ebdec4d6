/**
 * A pilot that flies a preloaded mission by itself, for demos: when the vehicle is ready it switches to
 * GUIDED, arms, takes off to the mission's first altitude, switches to AUTO, and after the landing and the
 * auto-disarm waits and starts again. It goes through the same actions a ground station's commands reach,
 * so the vehicle's refusals and texts are the real ones.
 */
import type { MissionItem } from "./mission";
import { MODE } from "./modes";
import type { SimVehicle } from "./vehicle";

const TAKEOFF = 22;
const RETRY_MS = 1000;

type Phase = { kind: "waiting"; nextTry: number } | { kind: "climbing"; alt: number } | { kind: "auto" } | { kind: "pause"; until: number } | { kind: "done" };

export class AutoFlyer {
  private phase: Phase = { kind: "waiting", nextTry: 0 };

  constructor(
    private readonly v: SimVehicle,
    private readonly items: MissionItem[],
    private readonly opts: { repeat: boolean; pauseMs: number },
  ) {}

  private get takeoffAlt(): number {
    return this.items.find((i) => i.command === TAKEOFF)?.z ?? 20;
  }

  step(now: number): void {
    const v = this.v;
    const p = this.phase;
    switch (p.kind) {
      case "waiting": {
        if (now < p.nextTry) return;
        const ok = v.actions.setMode(MODE.GUIDED) === 0 && v.actions.arm(false) === 0 && v.actions.takeoff(this.takeoffAlt) === 0;
        this.phase = ok ? { kind: "climbing", alt: this.takeoffAlt } : { kind: "waiting", nextTry: now + RETRY_MS };
        return;
      }
      case "climbing":
        if (!v.armed) this.phase = { kind: "waiting", nextTry: now + RETRY_MS };
        else if (v.phys.up >= p.alt - 1 && v.actions.setMode(MODE.AUTO) === 0) this.phase = { kind: "auto" };
        return;
      case "auto":
        if (!v.armed) this.phase = this.opts.repeat ? { kind: "pause", until: now + this.opts.pauseMs } : { kind: "done" };
        return;
      case "pause":
        if (now >= p.until) this.phase = { kind: "waiting", nextTry: now };
        return;
      case "done":
        return;
    }
  }
}
