import { describe, expect, it } from "vitest";
import { formatLinkUrl, linkUrlSchema, parseLinkUrl } from "./url";

describe("parseLinkUrl", () => {
  it.each([
    ["udpin://0.0.0.0:14550", { kind: "udpin", host: "0.0.0.0", port: 14550 }],
    ["udpin://:14550", { kind: "udpin", host: "0.0.0.0", port: 14550 }],
    ["udpout://192.168.1.20:14550", { kind: "udpout", host: "192.168.1.20", port: 14550 }],
    ["tcpout://localhost:5760", { kind: "tcpout", host: "localhost", port: 5760 }],
    ["tcpin://127.0.0.1:0", { kind: "tcpin", host: "127.0.0.1", port: 0 }],
    ["TCPOUT://[::1]:5760", { kind: "tcpout", host: "::1", port: 5760 }],
    ["udpin://[::]:14550", { kind: "udpin", host: "::", port: 14550 }],
    ["serial:///dev/ttyUSB0:57600", { kind: "serial", path: "/dev/ttyUSB0", baudRate: 57600 }],
    ["serial://COM3:115200", { kind: "serial", path: "COM3", baudRate: 115200 }],
    ["serial:///dev/serial/by-id/usb-ArduPilot_fmuv3-if00:921600",
      { kind: "serial", path: "/dev/serial/by-id/usb-ArduPilot_fmuv3-if00", baudRate: 921600 }],
  ])("accepts %s", (url, spec) => {
    expect(parseLinkUrl(url)).toEqual(spec);
  });

  it.each([
    ["http://host:80", /invalid link URL "http:\/\/host:80": unknown scheme "http"/],
    ["udpin://0.0.0.0", /missing port/],
    ["tcpout://host:", /missing port/],
    ["tcpout://host:99999", /port 99999 out of range \(1\.\.65535\)/],
    ["udpout://host:0", /port 0 out of range/],
    ["tcpout://host:57a", /port "57a" is not a number/],
    ["tcpout://:5760", /missing host/],
    ["tcpout://::1:5760", /IPv6 host must be written in brackets/],
    ["tcpout://[::1:5760", /unterminated IPv6/],
    ["udpin://0.0.0.0:14550/x", /no path/],
    ["serial:///dev/ttyUSB0", /bad baud rate|expected serial:\/\/DEVICE:BAUD/],
    ["serial:///dev/ttyUSB0:fast", /bad baud rate "fast"/],
    ["serial:///dev/ttyUSB0:0", /bad baud rate "0"/],
    ["14550", /expected SCHEME:\/\//],
  ])("rejects %s", (url, message) => {
    expect(() => parseLinkUrl(url)).toThrow(message);
  });

  it("formats a spec back to its URL", () => {
    for (const url of ["udpin://0.0.0.0:14550", "tcpout://[::1]:5760", "serial:///dev/ttyUSB0:57600"]) {
      expect(formatLinkUrl(parseLinkUrl(url))).toBe(url);
    }
  });

  it("has a zod schema whose issue is the parse error", () => {
    expect(linkUrlSchema.safeParse("tcpout://127.0.0.1:5760").success).toBe(true);
    const bad = linkUrlSchema.safeParse("tcpout://127.0.0.1");
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toMatch(/missing port/);
  });
});
