import { describe, expect, it } from "vitest";
import { checkPassword, hashPassword, needsRehash, verifyPassword } from "./passwords";

const FAST = { N: 2 ** 10, r: 8, p: 1 };

describe("passwords", () => {
  it("hashes with the default parameters, encoded with them, and verifies", async () => {
    const h = await hashPassword("correct horse battery");
    expect(h).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]{44}\$[A-Za-z0-9+/=]{88}$/);
    expect(await verifyPassword("correct horse battery", h)).toBe(true);
    expect(await verifyPassword("correct horse batterY", h)).toBe(false);
    expect(needsRehash(h)).toBe(false);
  });

  it("salts every hash and verifies hashes made with other parameters", async () => {
    const a = await hashPassword("same password here", FAST);
    const b = await hashPassword("same password here", FAST);
    expect(a).not.toBe(b);
    expect(a.startsWith("scrypt$1024$8$1$")).toBe(true);
    expect(await verifyPassword("same password here", b)).toBe(true);
    expect(needsRehash(a)).toBe(true);
  });

  it("never matches a malformed or absurd hash", async () => {
    for (const bad of ["", "plain", "scrypt$1024$8$1$AAAA$BBBB", "bcrypt$x", "scrypt$1073741824$8$1$" + "A".repeat(44) + "$" + "B".repeat(88)]) {
      expect(await verifyPassword("anything at all", bad)).toBe(false);
    }
  });

  it("states the policy in plain words", () => {
    expect(checkPassword("alice", "short")).toEqual(["password must be at least 12 characters long (a short phrase is easier to remember)"]);
    expect(checkPassword("alice.pilot1", "Alice.Pilot1")).toEqual(["password must not be the user name"]);
    expect(checkPassword("alice", "aaaaaaaaaaaaaaaa")).toEqual(["password must not repeat one or two characters"]);
    expect(checkPassword("alice", "x".repeat(300))).toHaveLength(2);
    expect(checkPassword("alice", "a long enough phrase")).toEqual([]);
  });
});
