import { Option } from "commander";
import { z } from "zod";

/**
 * The Redis server several servers of one deployment share (`redis://[:pass@]host[:6379][/db]`, `rediss://` for
 * TLS): each publishes its own vehicles' state there and mirrors the others', so a screen on any server sees every
 * vehicle, and Socket.IO's events reach the screens of every server. The password is a secret: problems never quote
 * the URL, and DMC_REDIS keeps it off the command line (ps).
 */
export type ClusterConfig = { kind: "none" } | { kind: "redis"; url: string; host: string };

export function clusterOptions(): Option[] {
  return [
    new Option("--redis <url>", "Redis shared by several servers of one deployment (live vehicles and screens' events "
      + "across them): redis://[:pass@]host:6379[/db] (rediss:// for TLS); 'none' (default) for one server [DMC_REDIS]"),
  ];
}

export const clusterSchema = z.string().transform((text, ctx): ClusterConfig => {
  const value = text.trim();
  if (value === "" || value.toLowerCase() === "none") return { kind: "none" };
  const problem = (message: string) => {
    ctx.addIssue({ code: "custom", message });
    return z.NEVER;
  };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return problem("expected 'none' or redis://host:6379");
  }
  if (url.protocol !== "redis:" && url.protocol !== "rediss:") {
    return problem(`unknown scheme ${url.protocol.replace(/:$/, "")}: expected 'none' or redis://host:6379`);
  }
  if (url.hostname === "") return problem("the Redis URL needs a host");
  if (!/^\/?(\d{1,2})?$/.test(url.pathname)) return problem("the Redis URL's path is a database number (0-15), e.g. redis://host:6379/0");
  if ([...url.searchParams.keys()].length > 0) return problem("the Redis URL takes no parameters");
  return { kind: "redis", url: value, host: url.hostname.replace(/^\[|\]$/g, "") };
});
