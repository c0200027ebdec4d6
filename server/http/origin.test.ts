import { describe, expect, it } from "vitest";
import { trustProxyProblem } from "../config";
import { OriginPolicy } from "./origin";

const req = (host: string | undefined, origin?: string) => ({ headers: { host, ...(origin ? { origin } : {}) } });

describe("OriginPolicy", () => {
  const policy = new OriginPolicy(["mc.unit.police.example"]);

  it("lets IP addresses, localhost and allowed names through, same-origin or without Origin", () => {
    expect(policy.refusal(req("127.0.0.1:8080"))).toBeNull();
    expect(policy.refusal(req("[::1]:8080"))).toBeNull();
    expect(policy.refusal(req("localhost:8080", "http://localhost:8080"))).toBeNull();
    expect(policy.refusal(req("MC.unit.police.example", "https://mc.unit.police.example"))).toBeNull();
    expect(policy.refusal(req("10.1.2.3:8080", "http://10.1.2.3:8080"))).toBeNull();
  });

  it("refuses other pages' origins (a web page reading the live map from a control-room browser)", () => {
    expect(policy.refusal(req("127.0.0.1:8080", "http://evil.example"))).toMatch(/cross-origin request from http:\/\/evil\.example/);
    expect(policy.refusal(req("127.0.0.1:8080", "http://127.0.0.1:9999"))).toMatch(/cross-origin/);
    expect(policy.refusal(req("127.0.0.1:8080", "null"))).toMatch(/malformed Origin|cross-origin/);
  });

  it("refuses unknown host names (DNS rebinding) and says how to allow one", () => {
    expect(policy.refusal(req("evil.example:8080"))).toMatch(/host evil\.example is not allowed .*--allowed-host evil\.example/);
    expect(policy.refusal(req(undefined))).toMatch(/missing Host/);
  });

  it("behind a trusted reverse proxy, judges the browser's host and scheme from X-Forwarded-Host and -Proto", () => {
    const behind = new OriginPolicy(["mc.unit.police.example"], ["loopback", "10.0.0.0/8"]);
    const via = (address: string, origin: string, forwarded: Record<string, string>) =>
      ({ headers: { host: "127.0.0.1:8080", origin, ...forwarded }, socket: { remoteAddress: address } });
    const tls = { "x-forwarded-host": "mc.unit.police.example", "x-forwarded-proto": "https" };
    expect(behind.refusal(via("127.0.0.1", "https://mc.unit.police.example", tls))).toBeNull();
    expect(behind.refusal(via("::ffff:10.1.2.3", "https://mc.unit.police.example", tls))).toBeNull();
    expect(behind.refusal(via("127.0.0.1", "https://mc.unit.police.example", { ...tls, "x-forwarded-host": "mc.unit.police.example:443" }))).toBeNull();
    // The page was served over https: the same host over http is another origin.
    expect(behind.refusal(via("127.0.0.1", "http://mc.unit.police.example", tls))).toMatch(/cross-origin/);
    expect(behind.refusal(via("127.0.0.1", "https://evil.example", tls))).toMatch(/cross-origin/);
    expect(behind.refusal(via("127.0.0.1", "https://x", { ...tls, "x-forwarded-host": "evil.example" }))).toMatch(/host evil\.example is not allowed/);
    // Anyone else's X-Forwarded-* headers mean nothing.
    expect(behind.refusal(via("192.0.2.7", "https://mc.unit.police.example", tls))).toMatch(/cross-origin/);
    expect(policy.refusal(via("127.0.0.1", "https://mc.unit.police.example", tls))).toMatch(/cross-origin/);
    expect(behind.trustsProxy("10.200.0.1")).toBe(true);
    expect(behind.trustsProxy("192.168.1.1")).toBe(false);
    expect(policy.trustsProxy("127.0.0.1")).toBe(false);
  });

  it("names what is wrong with a --trust-proxy entry", () => {
    expect(["loopback", "uniquelocal", "10.0.0.1", "10.0.0.0/8", "fd00::/8", "::1"].map(trustProxyProblem)).toEqual(Array(6).fill(null));
    expect(trustProxyProblem("proxy.example")).toMatch(/not an IP address/);
    expect(trustProxyProblem("10.0.0.0/33")).toMatch(/prefix length must be 0\.\.32/);
    expect(trustProxyProblem("constructor")).toMatch(/not an IP address/);
    expect(() => new OriginPolicy([], ["true"])).toThrow(/--trust-proxy true: not an IP address/);
  });
});
