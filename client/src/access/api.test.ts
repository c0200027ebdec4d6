import { describe, expect, it } from "vitest";
import { ApiCallError, createApi, describeLoginError } from "./api";
import { FetchTestDouble, jsonResponse } from "../test/access";

describe("describeLoginError", () => {
  it("words each refusal", () => {
    expect(describeLoginError(new ApiCallError(401, "bad_credentials", "x"))).toBe("Wrong name or password.");
    expect(describeLoginError(new ApiCallError(429, "rate_limited", "x", 90))).toBe("Too many attempts — try again in 2 min.");
    expect(describeLoginError(new ApiCallError(429, "rate_limited", "x", 5))).toBe("Too many attempts — try again in 1 min.");
    expect(describeLoginError(new ApiCallError(403, "account_disabled", "x"))).toMatch(/account is disabled/);
    expect(describeLoginError(new ApiCallError(0, "unreachable", "x"))).toMatch(/Cannot reach the server/);
  });
});

describe("createApi", () => {
  it("reads the error code, message and Retry-After", async () => {
    const http = new FetchTestDouble({
      "POST /api/auth/login": () => jsonResponse(429, { error: { code: "rate_limited", message: "slow down" } }, { "retry-after": "300" }),
    });
    const error = await createApi({ fetchFn: http.fetch }).login({ name: "a", password: "b" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 429, code: "rate_limited", message: "slow down", retryAfterS: 300 });
  });

  it("encodes user names in paths", async () => {
    const http = new FetchTestDouble({ "PATCH /api/users/a%20b": () => jsonResponse(200, {}) });
    await createApi({ fetchFn: http.fetch }).updateUser("a b", { disabled: true });
    expect(http.calls).toEqual(["PATCH /api/users/a%20b"]);
  });
});
