import type { VehicleCommand, VehicleState } from "../../../../server/protocol";
import { formatAltitude, formatBattery, formatCoordinates } from "../../format";
import { isAirborne } from "./availability";

/** One line of the vehicle's description in a dialog. */
export interface Fact {
  label: string;
  value: string;
}

/**
 * The second, explicit confirmation of a forced arm/disarm: the pilot types the vehicle's number and ticks
 * the consequence, so one stray click (or Enter) can never force anything.
 */
export interface SecondConfirmation {
  /** What must be typed: the vehicle's sysid. */
  expected: string;
  typeLabel: string;
  tickLabel: string;
}

export interface Confirmation {
  title: string;
  /** What will happen, in words. */
  body: string;
  facts: Fact[];
  second: SecondConfirmation | null;
}

/** Sysid, mode, armed and height: enough to be sure the dialog is about the drone the pilot means. */
export function vehicleFacts(v: VehicleState): Fact[] {
  const battery = formatBattery(v.battery);
  return [
    { label: "Vehicle", value: `${v.key} (sysid ${v.sysid})` },
    { label: "Mode", value: v.mode || "?" },
    { label: "State", value: v.armed ? (isAirborne(v) ? "Armed, flying" : "Armed") : "Disarmed" },
    { label: "Altitude", value: `${formatAltitude(v.position?.altRelative)} above home` },
    { label: "Battery", value: `${battery.remaining} · ${battery.voltage}` },
  ];
}

function second(v: VehicleState, tickLabel: string): SecondConfirmation {
  return { expected: String(v.sysid), typeLabel: `Type the vehicle number (${v.sysid}) to confirm`, tickLabel };
}

/** Title, explanation and second step of a command that needs confirming; null when it is sent at once. */
function wording(command: VehicleCommand, v: VehicleState): Omit<Confirmation, "facts"> | null {
  const name = v.key;
  switch (command.kind) {
    case "arm":
      return command.force
        ? { title: `Force arm ${name}?`, body: "The pre-arm checks are skipped: the vehicle may arm in a state that is not safe to fly.", second: second(v, "I understand the pre-arm checks are skipped") }
        : { title: `Arm ${name}?`, body: "The motors start. Make sure nobody is near the propellers.", second: null };
    case "disarm":
      if (command.force) {
        return { title: `Force disarm ${name}?`, body: "The motors stop at once, even in flight: a flying drone falls.", second: second(v, "I understand the motors will stop") };
      }
      return isAirborne(v)
        ? { title: `Disarm ${name} in the air?`, body: "The vehicle seems to be flying. ArduPilot refuses to disarm a flying vehicle unless forced.", second: null }
        : null;
    case "takeoff":
      return { title: `Take off ${name} to ${formatAltitude(command.altM, 0)}?`, body: `Switches to GUIDED, arms if needed and climbs to ${formatAltitude(command.altM, 0)} above home.`, second: null };
    case "land":
      return { title: `Land ${name}?`, body: "Descends and lands where it is now.", second: null };
    case "rtl":
      return { title: `Return ${name} to launch?`, body: "Flies back to home at the RTL altitude and lands there.", second: null };
    case "goto":
      return { title: `Fly ${name} to the point?`, body: `Switches to GUIDED and flies to ${formatCoordinates(command.lat, command.lon)} at ${formatAltitude(command.altM, 0)} above home, then holds there.`, second: null };
    case "missionStart":
      return { title: `Start the mission on ${name}?`, body: "Switches to AUTO and flies the mission loaded on the vehicle.", second: null };
    default:
      return null;
  }
}

/** The dialog for a command, or null when the command is sent without asking (brake, mode, speed, pause...). */
export function confirmationFor(command: VehicleCommand, v: VehicleState): Confirmation | null {
  const w = wording(command, v);
  return w ? { ...w, facts: vehicleFacts(v) } : null;
}

/** Both parts of the second confirmation are done. */
export function secondConfirmed(s: SecondConfirmation, typed: string, ticked: boolean): boolean {
  return ticked && typed.trim() === s.expected;
}

