import { describe, expect, it } from "vitest";
import { playbackOf, playbackUrl } from "./derivatives";

describe("playback", () => {
  it("points the player at the original, the browser copy, or nothing", () => {
    expect(playbackUrl(3, { source: "original" })).toBe("/api/footage/3/stream");
    expect(playbackUrl(3, { source: "browser", derivativeId: 41 })).toBe("/api/footage/derivatives/41/stream");
    expect(playbackUrl(3, { source: "none" })).toBeNull();
  });

  it("falls back on the probe when the server did not say (a list row)", () => {
    expect(playbackOf({ probe: { browserPlayable: true } })).toEqual({ source: "original" });
    expect(playbackOf({ probe: { browserPlayable: false } })).toEqual({ source: "none" });
    expect(playbackOf({ probe: { browserPlayable: false }, playback: { source: "browser", derivativeId: 2 } })).toEqual({ source: "browser", derivativeId: 2 });
  });
});
