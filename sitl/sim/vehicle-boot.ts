/**
 * The vehicle's power life: what it says and sends as the boot timeline advances, and what a reboot forgets
 * (mission and parameters are kept, but not the stream rates a ground station asked for).
 */
import { SEVERITY } from "./severity";
import { MODE } from "./modes";
import { homeFields, originFields } from "./telemetry";
import type { SimVehicle } from "./vehicle";

/** How long a rebooting vehicle stays silent before it boots again. */
export const REBOOT_SILENCE_MS = 2000;
/** The stream rate parameters a fresh boot sets back to 0 (ArduPilot does not keep requested rates). */
const STREAM_RATE_PARAMS = ["MAV1_RAW_SENS", "MAV1_EXT_STAT", "MAV1_RC_CHAN", "MAV1_RAW_CTRL", "MAV1_POSITION",
  "MAV1_EXTRA1", "MAV1_EXTRA2", "MAV1_EXTRA3"];

/** Stages reached `sinceBootMs` after boot: their texts, and at "origin" home with HOME_POSITION / GPS_GLOBAL_ORIGIN. */
export function advanceBoot(v: SimVehicle, now: number, sinceBootMs: number): void {
  for (const { stage, texts } of v.boot.advance(sinceBootMs)) {
    for (const text of texts) v.statusText(SEVERITY.INFO, text);
    if (stage === "origin") {
      v.home = v.home ?? { ...v.origin };
      const view = v.view(now);
      const home = homeFields(view);
      const origin = originFields(view);
      if (home) v.send("HOME_POSITION", home);
      if (origin) v.send("GPS_GLOBAL_ORIGIN", origin);
    }
  }
}

/** The vehicle as a fresh boot leaves it: disarmed in STABILIZE, no home, on the ground where it was. */
export function resetForBoot(v: SimVehicle): void {
  v.streams.reset();
  for (const name of STREAM_RATE_PARAMS) v.params.set(name, 0);
  v.boot.restart();
  v.gcsSeen = false;
  v.armed = false;
  v.mode = MODE.STABILIZE;
  v.home = null;
  v.landingWithoutGps = false;
  v.failsafe.reset();
  // A reboot in the air ends on the ground: put it down where it was.
  Object.assign(v.phys, { up: 0, vn: 0, ve: 0, vu: 0, roll: 0, pitch: 0, landed: true });
  v.flight.enterMode(v.mode, v.phys);
}
