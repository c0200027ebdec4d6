import { Option } from "commander";
import { urlOption } from "./url-option";

/**
 * The Redis server several servers of one deployment share (`redis://[:pass@]host[:6379][/db]`, `rediss://` for
 * TLS): each publishes its own vehicles' state there and mirrors the others', so a screen on any server sees every
 * vehicle, and Socket.IO's events reach the screens of every server. The password is a secret: problems never quote
 * the URL, and DMC_REDIS keeps it off the command line (ps).
 */
export type ClusterConfig = { kind: "none" } | { kind: "redis"; url: string; host: string };

export function clusterOptions(): Option[] {
  return [
    new Option("--redis <url>", "Redis shared by several servers of one deployment (every vehicle on every screen, "
      + "pilots' requests sent to the server that has the vehicle, tcpout links taken over from a server that dies): "
      + "redis://[:pass@]host:6379[/db] (rediss:// for TLS); 'none' (default) for one server [DMC_REDIS]"),
  ];
}

export const clusterSchema = urlOption<ClusterConfig>({
  builtin: "none", builtinValue: { kind: "none" }, schemes: ["redis", "rediss"], example: "redis://host:6379", what: "Redis",
  parse(url, value, problem) {
    if (!/^\/?(\d{1,2})?$/.test(url.pathname)) return problem("the Redis URL's path is a database number (0-15), e.g. redis://host:6379/0");
    if ([...url.searchParams.keys()].length > 0) return problem("the Redis URL takes no parameters");
    return { kind: "redis", url: value, host: url.hostname.replace(/^\[|\]$/g, "") };
  },
});
