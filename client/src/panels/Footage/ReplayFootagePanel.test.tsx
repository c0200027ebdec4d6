import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { ReplayState } from "../../../../server/protocol";
import { ReplayFootagePanel } from "./ReplayFootagePanel";
import { chooseItem } from "./useReplayFootage";
import { sampleFlight, sampleFootage, sampleSync, T0 } from "./testData";
import type { ReplayFootageItem } from "./useReplayFootage";

afterEach(cleanup);

const SHIFT = 3_600_000;
const item: ReplayFootageItem = { footage: sampleFootage(), sync: sampleSync({ startsAt: T0 }), flight: sampleFlight({ shiftMs: SHIFT }), track: [] };
const state = (time: number, over: Partial<ReplayState> = {}): ReplayState => ({ playing: false, speed: 1, time, vehicleTime: {}, loop: null, ended: false, ...over });

/**
 * jsdom plays no media: play() and pause() are not implemented. These record what the panel asked of the video,
 * and fire the events a browser would.
 */
function mediaOf(video: HTMLVideoElement) {
  const asked: string[] = [];
  let paused = true;
  Object.defineProperty(video, "paused", { get: () => paused });
  video.play = () => { asked.push("play"); paused = false; video.dispatchEvent(new Event("play")); return Promise.resolve(); };
  video.pause = () => { asked.push("pause"); paused = true; video.dispatchEvent(new Event("pause")); };
  return asked;
}

function renderPanel(initial: ReplayState) {
  const seeks: number[] = [];
  let toggles = 0;
  const props = { items: [item], onSeek: (t: number) => seeks.push(t), onToggle: () => { toggles++; } };
  const view = render(<ReplayFootagePanel {...props} state={initial} />);
  const video = screen.getByTestId("replay-footage-video") as HTMLVideoElement;
  const asked = mediaOf(video);
  return { video, asked, seeks, toggles: () => toggles, rerender: (s: ReplayState) => view.rerender(<ReplayFootagePanel {...props} state={s} />) };
}

describe("ReplayFootagePanel", () => {
  it("plays the original where a browser can, else its browser copy (same timing), else says why there is nothing", () => {
    const avi = (playback: ReplayFootageItem["footage"]["playback"]) => sampleFootage({
      probe: { ...sampleFootage().probe, format: "avi", video: { ...sampleFootage().probe.video, codec: "mpeg4" }, browserPlayable: false }, playback,
    });
    const { video } = renderPanel(state(T0 + SHIFT + 2500));
    expect(video.getAttribute("src")).toBe("/api/footage/3/stream");
    cleanup();
    render(<ReplayFootagePanel items={[{ ...item, footage: avi({ source: "browser", derivativeId: 41 }) }]} state={state(T0 + SHIFT + 2500)} onSeek={() => undefined} onToggle={() => undefined} />);
    const copy = screen.getByTestId("replay-footage-video") as HTMLVideoElement;
    expect(copy.getAttribute("src")).toBe("/api/footage/derivatives/41/stream");
    // The copy keeps the original's frame times: the same moment of the replay is the same media time.
    expect(copy.currentTime).toBe(2.5);
    expect(screen.queryByTestId("replay-footage-unplayable")).toBeNull();
    cleanup();
    render(<ReplayFootagePanel items={[{ ...item, footage: avi({ source: "none" }) }]} state={state(T0 + SHIFT + 2500)} onSeek={() => undefined} onToggle={() => undefined} />);
    expect(screen.getByTestId("replay-footage-video").getAttribute("src")).toBeNull();
    expect(screen.getByTestId("replay-footage-unplayable").textContent).toMatch(/cannot play this original \(mpeg4\)/);
  });

  it("puts the video at the replay's moment (less the flight's shift) and shows the frame's UTC without requestVideoFrameCallback", () => {
    expect(typeof HTMLVideoElement.prototype.requestVideoFrameCallback).toBe("undefined");
    const { video } = renderPanel(state(T0 + SHIFT + 2500));
    expect(video.currentTime).toBe(2.5);
    expect(screen.queryByTestId("replay-footage-none")).toBeNull();
    fireEvent.timeUpdate(video);
    const utc = screen.getByTestId("replay-footage-utc");
    expect(utc.textContent).toBe("frame at 2026-11-21 09:00:02.500 UTC");
    expect(utc.dataset["utc"]).toBe(String(T0 + 2500));
  });

  it("follows the replay: plays at its speed, corrects only a drift over 0.2 s, pauses with it", () => {
    const p = renderPanel(state(T0 + SHIFT + 1000));
    p.rerender(state(T0 + SHIFT + 1000, { playing: true, speed: 4 }));
    expect(p.asked).toEqual(["play"]);
    expect(p.video.playbackRate).toBe(4);
    p.video.currentTime = 1.9;
    p.rerender(state(T0 + SHIFT + 2000, { playing: true, speed: 4 }));
    expect(p.video.currentTime).toBe(1.9);
    p.rerender(state(T0 + SHIFT + 2500, { playing: true, speed: 4 }));
    expect(p.video.currentTime).toBe(2.5);
    p.rerender(state(T0 + SHIFT + 2500, { playing: false, speed: 4 }));
    expect(p.asked).toEqual(["play", "pause"]);
    // The panel's own play and pause are not taken for the reviewer's.
    expect(p.toggles()).toBe(0);
  });

  it("says there is no footage outside the video's span, and pauses it", () => {
    const p = renderPanel(state(T0 + SHIFT + 1000));
    p.rerender(state(T0 + SHIFT + 1000, { playing: true }));
    expect(p.asked).toEqual(["play"]);
    p.rerender(state(T0 + SHIFT + 7000, { playing: true }));
    expect(screen.getByTestId("replay-footage-none").textContent).toBe("No footage at this moment");
    expect(p.asked).toEqual(["play", "pause"]);
    p.rerender(state(T0 + SHIFT - 500, { playing: true }));
    expect(screen.getByTestId("replay-footage-none")).toBeTruthy();
  });

  it("seeks the replay when the reviewer seeks the video, but not for its own seeks; play on the video plays the replay", () => {
    const p = renderPanel(state(T0 + SHIFT + 1000));
    act(() => { p.video.dispatchEvent(new Event("seeked")); });
    expect(p.seeks).toEqual([]);
    p.video.currentTime = 4.2;
    act(() => { p.video.dispatchEvent(new Event("seeked")); });
    expect(p.seeks).toEqual([T0 + SHIFT + 4200]);
    expect(screen.getByTestId("replay-footage-utc").textContent).toBe("frame at 2026-11-21 09:00:04.200 UTC");
    act(() => { void p.video.play(); });
    expect(p.toggles()).toBe(1);
  });
});

describe("chooseItem", () => {
  const second: ReplayFootageItem = { ...item, footage: sampleFootage({ id: 4, originalName: "DJI_0002.MP4" }), sync: sampleSync({ id: 12, footageId: 4, startsAt: T0 + 10_000 }) };
  it("shows the clip running at the replay's moment, the reviewer's pick while it runs", () => {
    expect(chooseItem([item, second], T0 + SHIFT + 12_000, null)?.footage.id).toBe(4);
    expect(chooseItem([item, second], T0 + SHIFT + 12_000, "7-3")?.footage.id).toBe(4);
    expect(chooseItem([item, second], T0 + SHIFT + 1000, "7-4")?.footage.id).toBe(3);
    // Between clips: the one picked stays.
    expect(chooseItem([item, second], T0 + SHIFT + 8000, "7-4")?.footage.id).toBe(4);
    expect(chooseItem([item, second], null, null)?.footage.id).toBe(3);
    expect(chooseItem([], T0, null)).toBeNull();
  });
});
