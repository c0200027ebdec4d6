/**
 * What the vehicle does with each message a ground station sends (mission protocol aside, which the mission
 * server consumes first). Unknown or unhandled messages are ignored, as ArduPilot does.
 */
import type { RawMessage } from "../../server/mavlink";
import { commandIn, runCommand } from "./commands";
import { STREAM_PARAMS } from "./params";
import type { SimVehicle } from "./vehicle";

/** SET_POSITION_TARGET_GLOBAL_INT type_mask bits that, when set, mean "ignore x / y / z". */
const IGNORE_POSITION = 0x7;
const SET_MODE_MSG_ID = 11;

export function handleGcsMessage(v: SimVehicle, msg: RawMessage): void {
  const f = msg.fields;
  const n = (k: string): number => Number(f[k] ?? 0);
  switch (msg.name) {
    case "HEARTBEAT":
      // Only the ground station ArduPilot answers to (MAV_GCS_SYSID) keeps the GCS failsafe quiet.
      if (msg.sysid === v.params.get("MAV_GCS_SYSID", 255)) v.failsafe.gcs.heard(v.now());
      return;
    case "REQUEST_DATA_STREAM": {
      const start = n("start_stop") === 1;
      const rate = n("req_message_rate");
      for (const id of v.streams.requestDataStream(n("req_stream_id"), rate, start)) {
        const param = STREAM_PARAMS.get(id);
        if (param) v.params.set(param, start ? rate : 0);
      }
      return;
    }
    case "COMMAND_LONG":
    case "COMMAND_INT": {
      const cmd = commandIn(msg);
      // Camera commands (and intervals/requests of CAMERA_FEEDBACK / CAMERA_CAPTURE_STATUS) go to AP_Camera first.
      const outcome = v.camera.command(cmd) ?? runCommand(v.actions, cmd);
      v.send("COMMAND_ACK", {
        command: cmd.command, result: outcome.result, target_system: msg.sysid, target_component: msg.compid,
      });
      outcome.after?.();
      return;
    }
    case "SET_MODE": {
      // ArduPilot acks the SET_MODE message with a COMMAND_ACK whose command is the message id.
      const result = (n("base_mode") & 1) === 1 ? v.actions.setMode(n("custom_mode")) : 3;
      v.send("COMMAND_ACK", { command: SET_MODE_MSG_ID, result, target_system: msg.sysid, target_component: msg.compid });
      return;
    }
    case "SET_POSITION_TARGET_GLOBAL_INT": {
      if ((n("type_mask") & IGNORE_POSITION) === IGNORE_POSITION) return;
      const frame = n("coordinate_frame");
      // Frames 0/5 are AMSL; 3/6 (and terrain, which we do not model) relative to home.
      const amsl = frame === 0 || frame === 5;
      const alt = amsl ? n("alt") - (v.home?.altAmsl ?? v.origin.altAmsl) : n("alt");
      v.actions.guidedTo(n("lat_int") / 1e7, n("lon_int") / 1e7, alt);
      return;
    }
    case "SET_POSITION_TARGET_LOCAL_NED":
      // Velocity control (position ignored): how a GCS nudges a GUIDED vehicle; position targets are not modelled.
      if ((n("type_mask") & IGNORE_POSITION) !== IGNORE_POSITION) return;
      v.actions.guidedVelocity(n("vx"), n("vy"), n("vz"));
      return;
    case "PARAM_REQUEST_LIST":
      for (let i = 0; i < v.params.count; i++) {
        const fields = v.params.valueFields(v.params.nameAt(i)!);
        if (fields) v.send("PARAM_VALUE", fields);
      }
      return;
    case "PARAM_REQUEST_READ": {
      const index = n("param_index");
      const name = index >= 0 ? v.params.nameAt(index) : String(f.param_id ?? "");
      const fields = name === null ? null : v.params.valueFields(name);
      if (fields) v.send("PARAM_VALUE", fields);
      return;
    }
    case "PARAM_SET": {
      const name = String(f.param_id ?? "");
      if (!v.params.set(name, n("param_value"))) return; // unknown: no answer, as ArduPilot
      const fields = v.params.valueFields(name);
      if (fields) v.send("PARAM_VALUE", fields);
      return;
    }
    case "TIMESYNC":
      if (n("tc1") === 0) {
        v.send("TIMESYNC", { tc1: Math.round(v.now() * 1e6), ts1: n("ts1"), target_system: msg.sysid, target_component: msg.compid });
      }
      return;
    default:
      return;
  }
}
