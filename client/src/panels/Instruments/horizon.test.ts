import { describe, expect, it } from "vitest";
import { formatAngle } from "./angles";
import {
  attitudeLabel,
  compassCard,
  DIAL_RADIUS,
  horizonPose,
  PITCH_LIMIT_DEG,
  PITCH_PX_PER_DEG,
  pitchLadder,
  radialTick,
  rollScale,
  roseTransform,
  wrap180,
} from "./horizon";

const rad = (deg: number) => (deg * Math.PI) / 180;

describe("horizonPose", () => {
  it("is level with the horizon through the centre at zero attitude", () => {
    const pose = horizonPose({ roll: 0, pitch: 0 });
    expect(pose).toMatchObject({ rollDeg: 0, pitchDeg: 0, rotateDeg: 0, offsetY: 0 });
    expect(pose?.horizonTransform).toBe("rotate(0) translate(0 0)");
  });

  it("rotates the horizon by -30° for a 30° right bank", () => {
    const pose = horizonPose({ roll: rad(30), pitch: 0 });
    expect(pose?.rollDeg).toBe(30);
    expect(pose?.rotateDeg).toBe(-30);
    expect(pose?.horizonTransform).toBe("rotate(-30) translate(0 0)");
    expect(pose?.rollTransform).toBe("rotate(-30)");
    expect(horizonPose({ roll: rad(-15), pitch: 0 })?.rotateDeg).toBe(15);
  });

  it("moves the horizon down by the ladder scale when the nose is up", () => {
    expect(horizonPose({ roll: 0, pitch: rad(10) })?.offsetY).toBe(10 * PITCH_PX_PER_DEG);
    expect(horizonPose({ roll: 0, pitch: rad(-5) })?.offsetY).toBe(-5 * PITCH_PX_PER_DEG);
    expect(horizonPose({ roll: 0, pitch: rad(10) }, 3)?.offsetY).toBe(30);
  });

  it("pitches along the banked axis: rotate first, then translate in the rotated frame", () => {
    expect(horizonPose({ roll: rad(20), pitch: rad(5) })?.horizonTransform).toBe(`rotate(-20) translate(0 ${5 * PITCH_PX_PER_DEG})`);
  });

  it("clamps pitch to ±90° and says so", () => {
    const up = horizonPose({ roll: 0, pitch: rad(120) });
    expect(up?.pitchDeg).toBe(PITCH_LIMIT_DEG);
    expect(up?.offsetY).toBe(PITCH_LIMIT_DEG * PITCH_PX_PER_DEG);
    expect(up?.pitchClamped).toBe(true);
    expect(horizonPose({ roll: 0, pitch: rad(-100) })?.pitchDeg).toBe(-PITCH_LIMIT_DEG);
    expect(horizonPose({ roll: 0, pitch: rad(45) })?.pitchClamped).toBe(false);
  });

  it("wraps roll into (-180, 180] and rounds away sensor noise", () => {
    expect(horizonPose({ roll: rad(370), pitch: 0 })?.rollDeg).toBe(10);
    expect(horizonPose({ roll: rad(190), pitch: 0 })?.rollDeg).toBe(-170);
    expect(horizonPose({ roll: rad(12.3456), pitch: 0 })?.rollDeg).toBe(12.3);
    expect(Object.is(horizonPose({ roll: -1e-9, pitch: -1e-9 })?.rotateDeg, 0)).toBe(true);
    expect(wrap180(180)).toBe(180);
    expect(wrap180(-180)).toBe(180);
  });

  it("is null (unknown) without a usable attitude", () => {
    expect(horizonPose(null)).toBeNull();
    expect(horizonPose({ roll: Number.NaN, pitch: 0 })).toBeNull();
    expect(horizonPose({ roll: 0, pitch: Number.POSITIVE_INFINITY })).toBeNull();
  });
});

describe("attitudeLabel", () => {
  it("reads the attitude in words", () => {
    expect(attitudeLabel(horizonPose({ roll: rad(30), pitch: rad(-10) }))).toBe("Attitude: roll 30° right, pitch 10° down");
    expect(attitudeLabel(horizonPose({ roll: rad(-5), pitch: rad(4) }))).toBe("Attitude: roll 5° left, pitch 4° up");
    expect(attitudeLabel(horizonPose({ roll: 0, pitch: 0 }))).toBe("Attitude: roll 0°, pitch 0°");
    expect(attitudeLabel(null)).toBe("Attitude unknown");
  });
});

describe("pitchLadder", () => {
  it("has a rung every 5° without the horizon, labelled every 10°, positive pitch above", () => {
    const rungs = pitchLadder();
    expect(rungs).toHaveLength(36);
    expect(rungs.some((r) => r.deg === 0)).toBe(false);
    const ten = rungs.find((r) => r.deg === 10);
    const five = rungs.find((r) => r.deg === 5);
    const minusTwenty = rungs.find((r) => r.deg === -20);
    expect(ten).toMatchObject({ y: -10 * PITCH_PX_PER_DEG, label: "10" });
    expect(five?.label).toBeNull();
    expect(five && ten && five.halfWidth < ten.halfWidth).toBe(true);
    expect(minusTwenty).toMatchObject({ y: 20 * PITCH_PX_PER_DEG, label: "20" });
  });
});

describe("scales", () => {
  it("puts ticks clockwise from the top of the dial", () => {
    expect(radialTick(0, 80, 90, true)).toMatchObject({ x1: 0, y1: -80, x2: 0, y2: -90 });
    expect(radialTick(90, 80, 90, true)).toMatchObject({ x1: 80, y1: 0, x2: 90, y2: 0 });
  });

  it("has a roll scale to ±60° with majors every 30°, ending on the dial edge", () => {
    const ticks = rollScale();
    expect(ticks.map((t) => t.deg)).toEqual([-60, -45, -30, -20, -10, 0, 10, 20, 30, 45, 60]);
    expect(ticks.filter((t) => t.major).map((t) => t.deg)).toEqual([-60, -30, 0, 30, 60]);
    expect(ticks.find((t) => t.deg === 0)?.y2).toBe(-DIAL_RADIUS);
  });

  it("labels the compass card with cardinals and tens of degrees", () => {
    const card = compassCard();
    expect(card).toHaveLength(36);
    expect(card.filter((m) => m.label).map((m) => m.label)).toEqual(["N", "3", "6", "E", "12", "15", "S", "21", "24", "W", "30", "33"]);
  });

  it("turns the rose so the heading is at the top", () => {
    expect(roseTransform(90)).toBe("rotate(-90)");
    expect(roseTransform(370)).toBe("rotate(-10)");
    expect(roseTransform(-45)).toBe("rotate(-315)");
    expect(roseTransform(0)).toBe("rotate(0)");
    expect(roseTransform(null)).toBeNull();
  });
});

describe("formatAngle", () => {
  it("shows signed whole degrees, a dash when unknown", () => {
    expect(formatAngle(12.4)).toBe("12°");
    expect(formatAngle(-4.2)).toBe("\u22124°");
    expect(formatAngle(-0.2)).toBe("0°");
    expect(formatAngle(null)).toBe("—");
  });
});
