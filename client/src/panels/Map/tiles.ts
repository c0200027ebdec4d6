/** Pure rules for the base map's tiles: when to say they cannot be loaded, and from where. */

/**
 * Failed tiles in a row (with none loaded in between) before the map says tiles cannot be loaded. One screen
 * asks for 6-20 tiles at once, so a few failures in a row with no success is an unreachable source, while a
 * single missing tile (the edge of a local tile set, a hiccup) is not.
 */
export const TILE_FAILURES_BEFORE_NOTICE = 4;

export interface TileHealth {
  /** Failures since the last tile that loaded. */
  failedInARow: number;
  /** Tiles loaded since the source was set. */
  loaded: number;
}

export const FRESH_TILES: TileHealth = { failedInARow: 0, loaded: 0 };

export function tileLoaded(h: TileHealth): TileHealth {
  return { failedInARow: 0, loaded: h.loaded + 1 };
}

export function tileFailed(h: TileHealth): TileHealth {
  return { ...h, failedInARow: h.failedInARow + 1 };
}

export function tilesFailing(h: TileHealth): boolean {
  return h.failedInARow >= TILE_FAILURES_BEFORE_NOTICE;
}

/**
 * Where tiles come from, in words: the host of the URL template (subdomain placeholders filled in), or "this
 * server" for a template served by the ground station itself (an offline tile set).
 */
export function tileSource(template: string, pageUrl: string): string {
  try {
    const filled = template.replace(/\{s\}/g, "a").replace(/\{[a-z]+\}/gi, "0");
    const url = new URL(filled, pageUrl);
    if (url.protocol === "file:") return "a local file";
    return url.host === new URL(pageUrl).host ? "this server" : url.host;
  } catch {
    return template;
  }
}

export function tileNotice(template: string, pageUrl: string): string {
  return `Map tiles cannot be loaded from ${tileSource(template, pageUrl)}: showing a grid`;
}
