/** What every backend (built-in simulator, ArduPilot SITL binary, ArduPilot SITL in Docker) gives the commander. */

/** A start position: degrees and metres above mean sea level (what ArduPilot's --home takes). */
export interface Home {
  lat: number;
  lon: number;
  altAmsl: number;
}

/** Running vehicles: the link URLs a ground station should open, and how to stop them all. */
export interface Launched {
  /** One URL per link, in the server's --link syntax, e.g. tcpout://127.0.0.1:5760. */
  links: string[];
  /** System id of each vehicle, in link order (several vehicles may share one UDP link). */
  sysids: number[];
  /** Things the user should know (e.g. "sysid takes effect after the reboot just sent"). */
  notes: string[];
  /** Stops every vehicle, kills every child process, closes every port. Safe to call twice. */
  stop(): Promise<void>;
}
