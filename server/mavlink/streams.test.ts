import { describe, expect, it } from "vitest";
import { MAV_CMD, MSG_ID } from "./ids";
import { dataStreamFallback, telemetryRequests } from "./streams";
import type { OutgoingMessage } from "./types";

const target = { sysid: 1, compid: 1 };

function commands(messages: OutgoingMessage[]): Array<[number, number, number]> {
  return messages.map((m) => {
    if (m.kind !== "commandLong") throw new Error(`unexpected ${m.kind}`);
    expect(m.target).toEqual(target);
    return [m.command, m.params[0], m.params[1]];
  });
}

describe("telemetry requests", () => {
  it("asks for each message at its rate, then for the one-off messages", () => {
    expect(commands(telemetryRequests(target))).toEqual([
      [MAV_CMD.SET_MESSAGE_INTERVAL, MSG_ID.GLOBAL_POSITION_INT, 200_000],
      [MAV_CMD.SET_MESSAGE_INTERVAL, MSG_ID.ATTITUDE, 100_000],
      [MAV_CMD.SET_MESSAGE_INTERVAL, MSG_ID.VFR_HUD, 250_000],
      [MAV_CMD.SET_MESSAGE_INTERVAL, MSG_ID.GPS_RAW_INT, 500_000],
      [MAV_CMD.SET_MESSAGE_INTERVAL, MSG_ID.SYS_STATUS, 500_000],
      [MAV_CMD.SET_MESSAGE_INTERVAL, MSG_ID.BATTERY_STATUS, 1_000_000],
      [MAV_CMD.SET_MESSAGE_INTERVAL, MSG_ID.EKF_STATUS_REPORT, 1_000_000],
      [MAV_CMD.SET_MESSAGE_INTERVAL, MSG_ID.MISSION_CURRENT, 1_000_000],
      [MAV_CMD.SET_MESSAGE_INTERVAL, MSG_ID.HOME_POSITION, 5_000_000],
      [MAV_CMD.REQUEST_MESSAGE, 148, 0],
      [MAV_CMD.REQUEST_MESSAGE, 242, 0],
    ]);
  });

  it("falls back to REQUEST_DATA_STREAM(ALL, 4 Hz)", () => {
    expect(dataStreamFallback(target)).toEqual([
      { kind: "requestDataStream", target, streamId: 0, rateHz: 4, start: true },
    ]);
  });
});
