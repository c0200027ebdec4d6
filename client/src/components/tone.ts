import type { Severity } from "../../../server/protocol";
import type { Level } from "../format";

/** Colour roles of the UI; styles.css defines one colour per tone. */
export type Tone = "ok" | "caution" | "error" | "danger" | "info" | "neutral";

/** Emergency, alert and critical are red; error orange; warning yellow; the rest neutral. */
export function severityTone(severity: Severity): Tone {
  switch (severity) {
    case "emergency":
    case "alert":
    case "critical":
      return "danger";
    case "error":
      return "error";
    case "warning":
      return "caution";
    case "notice":
    case "info":
    case "debug":
      return "neutral";
  }
}

export function levelTone(level: Level): Tone {
  switch (level) {
    case "ok":
      return "ok";
    case "caution":
      return "caution";
    case "warning":
      return "danger";
    case "unknown":
      return "neutral";
  }
}

/** A severity in a few letters, for feeds and lists: "EMERG", "WARN", "NOTE"... */
export const SEVERITY_SHORT: Readonly<Record<Severity, string>> = {
  emergency: "EMERG",
  alert: "ALERT",
  critical: "CRIT",
  error: "ERROR",
  warning: "WARN",
  notice: "NOTE",
  info: "INFO",
  debug: "DEBUG",
};
