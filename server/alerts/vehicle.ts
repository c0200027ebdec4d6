import type { VehicleKey, VehicleState } from "../protocol";
import type { AlertConfig } from "../config";
import { BatteryRules } from "./battery";
import type { AlertSink } from "./episode";
import { FailsafeRule } from "./failsafe";
import { fenceEpisode, readFence } from "./fence";
import type { Zone } from "./fence";
import {
  altitudeEpisode, ekfEpisode, gpsEpisode, has3dFix, readAltitude, readEkf, readGps, readVlos, vlosEpisode,
} from "./flight";
import { LinkRule } from "./link";
import { TextRule } from "./texts";
import type { AlertTuning } from "./tuning";

/** Every rule's episode state for one vehicle. */
export class VehicleAlerts {
  readonly link: LinkRule;
  readonly texts: TextRule;
  readonly failsafe: FailsafeRule;
  private readonly battery: BatteryRules;
  private readonly gps;
  private readonly ekf;
  private readonly altitude;
  private readonly vlos;
  private readonly fence;
  private hadFix = false;
  private frozen = false;

  constructor(key: VehicleKey, private readonly config: AlertConfig, private readonly tuning: AlertTuning) {
    this.link = new LinkRule(key, tuning.clearAfterMs);
    this.texts = new TextRule(key, tuning);
    this.failsafe = new FailsafeRule(key, tuning);
    this.battery = new BatteryRules(key, config, tuning);
    this.gps = gpsEpisode(key, tuning);
    this.ekf = ekfEpisode(key, tuning);
    this.altitude = altitudeEpisode(key, config, tuning);
    this.vlos = vlosEpisode(key, config, tuning);
    this.fence = fenceEpisode(key, tuning);
  }

  evaluate(v: VehicleState, zones: readonly Zone[], time: number, sink: AlertSink): void {
    this.link.tick(time, sink);
    this.texts.tick(time, sink);
    // A lost vehicle's state is its last report, frozen: it must neither raise nor clear anything until it is
    // heard again (its battery did not recover, it did not land), and holds restart once it is back.
    if (this.link.lost || v.link.state === "lost") {
      if (!this.frozen) this.pause();
      this.frozen = true;
      return;
    }
    this.frozen = false;
    if (has3dFix(v.gps.fix)) this.hadFix = true;
    this.battery.step(v, time, sink);
    this.gps.step(readGps(v, this.hadFix), time, sink);
    this.ekf.step(readEkf(v), time, sink);
    this.failsafe.episode.step(this.failsafe.read(v), time, sink);
    this.altitude.step(readAltitude(v, this.config, this.tuning), time, sink);
    this.vlos.step(readVlos(v, this.config, this.tuning), time, sink);
    this.fence.step(readFence(v, zones, this.tuning), time, sink);
  }

  private pause(): void {
    this.battery.pause();
    for (const e of [this.gps, this.ekf, this.failsafe.episode, this.altitude, this.vlos, this.fence]) e.pause();
  }
}
