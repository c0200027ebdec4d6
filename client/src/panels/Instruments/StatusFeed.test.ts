import { describe, expect, it } from "vitest";
import type { StatusText, VehicleEvent } from "../../../../server/protocol";
import { newestFirst } from "./StatusFeed";

const text = (time: number, severity: StatusText["severity"], t: string): StatusText => ({ time, severity, text: t });

describe("the messages feed", () => {
  it("puts the vehicle's events among its messages, newest first, the message before the event it explains", () => {
    const texts = [text(1000, "info", "Armed: GPS 3D fix"), text(5000, "critical", "GCS Failsafe")];
    const events: VehicleEvent[] = [
      { key: "1:1", time: 5000, kind: "mode_change", from: "GUIDED", to: "RTL", commanded: false },
      { key: "1:1", time: 900, kind: "armed" },
      { key: "1:1", time: 3000, kind: "mode_change", from: "LOITER", to: "GUIDED", commanded: true },
    ];
    const rows = newestFirst(texts, events);
    expect(rows.map((r) => [r.label, r.text, r.tone])).toEqual([
      ["MODE", "Mode GUIDED → RTL, not commanded here", "caution"],
      ["CRIT", "GCS Failsafe", "danger"],
      ["MODE", "Mode LOITER → GUIDED", "neutral"],
      ["INFO", "Armed: GPS 3D fix", "neutral"],
      ["ARM", "Armed", "neutral"],
    ]);
    expect(new Set(rows.map((r) => r.key)).size).toBe(rows.length);
  });

  it("keeps keys apart for repeated messages", () => {
    const rows = newestFirst([text(1, "warning", "PreArm: Need 3D Fix"), text(1, "warning", "PreArm: Need 3D Fix")]);
    expect(rows.map((r) => r.key)).toEqual(["1|warning|PreArm: Need 3D Fix|1", "1|warning|PreArm: Need 3D Fix|0"]);
  });
});
