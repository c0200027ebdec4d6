import { describe, expect, it } from "vitest";
import { Tail, derivativeArgs, progressTime, seconds } from "./ffmpeg-args";

describe("derivativeArgs", () => {
  it("transcodes the whole file to H.264 yuv420p and AAC in MP4 with the index first, keeping every frame's time", () => {
    const argv = derivativeArgs({ kind: "browser" }, "/data/evidence/originals/ab/abc", "/data/scratch/derivatives/j.mp4");
    expect(argv[0]).toBe("ffmpeg");
    expect(argv).not.toContain("-ss");
    const pairs = new Map(argv.slice(1).flatMap((a, i, all) => (a.startsWith("-") && all[i + 1] !== undefined ? [[a, all[i + 1]!] as const] : [])));
    expect(pairs.get("-i")).toBe("/data/evidence/originals/ab/abc");
    expect(pairs.get("-c:v")).toBe("libx264");
    expect(pairs.get("-pix_fmt")).toBe("yuv420p");
    expect(pairs.get("-c:a")).toBe("aac");
    expect(pairs.get("-movflags")).toBe("+faststart");
    expect(pairs.get("-fps_mode")).toBe("passthrough");
    expect(pairs.get("-progress")).toBe("pipe:1");
    // Never overwrites: -n, and the output is the last argument.
    expect(argv.slice(-2)).toEqual(["-n", "/data/scratch/derivatives/j.mp4"]);
  });

  it("cuts a clip by seeking the input (before -i) and re-encoding for the range's length", () => {
    const argv = derivativeArgs({ kind: "clip", fromS: 2, toS: 5.5 }, "in", "out.mp4");
    const ss = argv.indexOf("-ss");
    expect(ss).toBeGreaterThan(0);
    expect(ss).toBeLessThan(argv.indexOf("-i"));
    expect(argv[ss + 1]).toBe("2");
    expect(argv[argv.indexOf("-t") + 1]).toBe("3.5");
    expect(argv.indexOf("-t")).toBeGreaterThan(argv.indexOf("-i"));
    expect(argv).not.toContain("copy");
  });

  it("writes seconds exactly, without float noise or exponents", () => {
    expect(seconds(2)).toBe("2");
    expect(seconds(0.1 + 0.2)).toBe("0.3");
    expect(seconds(1e-7)).toBe("0");
    expect(seconds(3599.04)).toBe("3599.04");
  });

  it("passes a name with spaces or quotes as one argument (no shell reads it)", () => {
    const argv = derivativeArgs({ kind: "browser" }, "/x/it's a $(name).avi", "o.mp4");
    expect(argv).toContain("/x/it's a $(name).avi");
  });
});

describe("progressTime", () => {
  it("reads the last out_time of a -progress block, in seconds", () => {
    const block = "frame=10\nfps=0.0\nout_time_us=400000\nout_time_ms=400000\nout_time=00:00:00.400000\nspeed=1x\n";
    expect(progressTime(block)).toBe(0.4);
    expect(progressTime("frame=1\nout_time_us=1000000\nframe=2\nout_time_us=2500000\n")).toBe(2.5);
  });

  it("is null for a block without a time (ffmpeg writes N/A before the first frame)", () => {
    expect(progressTime("frame=0\nout_time_us=N/A\n")).toBeNull();
    expect(progressTime("")).toBeNull();
  });
});

describe("Tail", () => {
  it("keeps the last lines of what was written, across chunks", () => {
    const t = new Tail(2);
    t.push("one\ntw");
    t.push("o\nthree\n");
    expect(t.toString()).toBe("two\nthree");
  });

  it("stays bounded whatever is written", () => {
    const t = new Tail(8, 100);
    for (let i = 0; i < 10_000; i++) t.push("x".repeat(1000));
    expect(t.toString().length).toBeLessThanOrEqual(100);
  });
});
