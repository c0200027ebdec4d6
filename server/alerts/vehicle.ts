import type { StatusText, VehicleEvent, VehicleKey, VehicleState } from "../protocol";
import type { AlertConfig } from "../config";
import { BatteryRules } from "./battery";
import { CauseLog } from "./causes";
import type { AlertSink } from "./episode";
import { fenceEpisode, fenceNameOfText, readFence } from "./fence";
import type { Zone } from "./fence";
import {
  altitudeEpisode, ekfEpisode, ekfHasPosition, gpsEpisode, has3dFix, readAltitude, readEkf, readGps, readVlos, vlosEpisode,
} from "./flight";
import { LinkRule } from "./link";
import { RefusalRule } from "./refusals";
import { TakeoverRule } from "./takeover";
import { TextRule } from "./texts";
import { VehicleTimeline } from "./timeline";
import type { AlertTuning } from "./tuning";

/** Every rule's episode state for one vehicle. */
export class VehicleAlerts {
  readonly link: LinkRule;
  readonly texts: TextRule;
  readonly refusals: RefusalRule;
  readonly timeline = new VehicleTimeline();
  private readonly causes = new CauseLog();
  private readonly takeover: TakeoverRule;
  private readonly battery: BatteryRules;
  private readonly gps;
  private readonly ekf;
  private readonly altitude;
  private readonly vlos;
  private readonly fence;
  private hadFix = false;
  private hadEkfPosition = false;
  /** The fence the vehicle named in its last breach text ("Polygon"), until the breach ends. */
  private fenceNamed: { name: string; time: number } | null = null;
  private fenceBreached = false;
  private frozen = false;

  constructor(key: VehicleKey, private readonly config: AlertConfig, private readonly tuning: AlertTuning) {
    this.link = new LinkRule(key, tuning.clearAfterMs);
    this.texts = new TextRule(key, tuning);
    this.refusals = new RefusalRule(key, tuning);
    this.takeover = new TakeoverRule(key, tuning);
    this.battery = new BatteryRules(key, config, tuning);
    this.gps = gpsEpisode(key, tuning);
    this.ekf = ekfEpisode(key, tuning);
    this.altitude = altitudeEpisode(key, config, tuning);
    this.vlos = vlosEpisode(key, config, tuning);
    this.fence = fenceEpisode(key, tuning);
  }

  /** Every text of the vehicle, whatever its severity: a NOTICE can name a fence or a failsafe's cause. */
  statusText(status: StatusText): void {
    this.causes.text(status);
    const name = fenceNameOfText(status.text);
    if (name !== null) this.fenceNamed = { name, time: status.time };
  }

  /** Returns the vehicle's timeline events of this tick. */
  evaluate(v: VehicleState, zones: readonly Zone[], time: number, sink: AlertSink): VehicleEvent[] {
    this.link.tick(time, sink);
    this.texts.tick(time, sink);
    this.refusals.tick(time, sink);
    // A lost vehicle's state is its last report, frozen: it must neither raise nor clear anything until it is
    // heard again (its battery did not recover, it did not land), and holds restart once it is back.
    if (this.link.lost || v.link.state === "lost") {
      if (!this.frozen) this.pause();
      this.frozen = true;
      return [];
    }
    this.frozen = false;
    if (has3dFix(v.gps.fix)) this.hadFix = true;
    if (ekfHasPosition(v.ekfFlags)) this.hadEkfPosition = true;
    this.causes.state(v, this.hadEkfPosition, time);
    this.causes.prune(time - this.tuning.causeBeforeMs - this.tuning.causeAfterMs);
    const { events, change } = this.timeline.observe(v, time, this.tuning.commandedModeMs);
    if (change) this.takeover.change(change, v.armed, this.causes, sink);
    this.takeover.tick(v, time, this.causes, sink);
    this.battery.step(v, time, sink);
    this.gps.step(readGps(v, this.hadFix), time, sink);
    this.ekf.step(readEkf(v, this.hadEkfPosition), time, sink);
    this.altitude.step(readAltitude(v, this.config, this.tuning), time, sink);
    this.vlos.step(readVlos(v, this.config, this.tuning), time, sink);
    this.fence.step(readFence(v, zones, this.fenceName(v, time), this.tuning), time, sink);
    return events;
  }

  /** The vehicle's name for the fence of this breach: its text from just before the breach or during it. */
  private fenceName(v: VehicleState, time: number): string | null {
    const breached = v.fence?.breached ?? false;
    if (breached !== this.fenceBreached && this.fenceNamed && time - this.fenceNamed.time > this.tuning.causeBeforeMs) {
      this.fenceNamed = null;
    }
    this.fenceBreached = breached;
    return breached ? this.fenceNamed?.name ?? null : null;
  }

  private pause(): void {
    this.battery.pause();
    for (const e of [this.gps, this.ekf, this.altitude, this.vlos, this.fence]) e.pause();
  }
}
