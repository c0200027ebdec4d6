import { isIP } from "node:net";

/** Names --trust-proxy takes for address ranges (as express's "trust proxy" setting knows them). */
export const NAMED_PROXY_RANGES: Readonly<Record<string, readonly (readonly [string, number])[]>> = {
  loopback: [["127.0.0.0", 8], ["::1", 128]],
  linklocal: [["169.254.0.0", 16], ["fe80::", 10]],
  uniquelocal: [["10.0.0.0", 8], ["172.16.0.0", 12], ["192.168.0.0", 16], ["fc00::", 7]],
};

/** Why a --trust-proxy entry is unusable, or null: an IP address, a subnet (10.0.0.0/8) or a named range. */
export function trustProxyProblem(entry: string): string | null {
  if (Object.hasOwn(NAMED_PROXY_RANGES, entry)) return null;
  const [address = "", bits, ...rest] = entry.split("/");
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return `${entry}: not an IP address, a subnet like 10.0.0.0/8, or loopback, linklocal, uniquelocal`;
  if (bits === undefined) return null;
  const max = family === 4 ? 32 : 128;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= max ? null : `${entry}: the prefix length must be 0..${max}`;
}
