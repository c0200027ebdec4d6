import { describe, expect, it } from "vitest";
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
});
