import type { Route } from "./route";
import { EVERYONE_SIGNED_IN, noQuery, sendError } from "./route";
import { MAX_ZOOM } from "./tiles";

/** Tiles change rarely; a browser keeps them a day (private: they are served behind the sign-in). */
const TILE_CACHE = "private, max-age=86400";

/** "12" -> 12; anything but a plain whole number (signs, dots, "..", letters) -> null. */
function wholeNumber(text: unknown): number | null {
  return typeof text === "string" && /^\d{1,8}$/.test(text) ? Number(text) : null;
}

/**
 * The base map from a local source (`--tile-url file://...`): a tile folder or an MBTiles file, for a unit
 * without internet. Seen by whoever sees the map, which is everyone signed in.
 */
export const TILE_ROUTES: Route[] = [
  {
    method: "get",
    path: "/tiles/:z/:x/:y",
    access: EVERYONE_SIGNED_IN,
    query: noQuery,
    async handle(source, req, res) {
      const z = wholeNumber(req.params["z"]);
      const x = wholeNumber(req.params["x"]);
      const y = wholeNumber(req.params["y"]);
      if (z === null || x === null || y === null) {
        sendError(res, 400, "bad_request", "z, x and y must be whole numbers");
        return;
      }
      if (!source.tiles) {
        sendError(res, 404, "not_found", "this server has no local tiles (--tile-url file://...)");
        return;
      }
      const tile = z <= MAX_ZOOM && x < 2 ** z && y < 2 ** z ? await source.tiles.tile(z, x, y) : null;
      if (tile === null) {
        sendError(res, 404, "not_found", `no tile ${z}/${x}/${y}`);
        return;
      }
      res.set("Cache-Control", TILE_CACHE);
      res.type(tile.contentType).send(tile.data);
    },
  },
];
