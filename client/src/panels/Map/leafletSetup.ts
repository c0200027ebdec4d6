// Side-effect module: Leaflet's stylesheet and default marker images, resolved through Vite.
// Leaflet guesses its image path from the CSS at runtime, which breaks once Vite hashes assets;
// without this any default L.Marker (ours use divIcons, but a plugin or a future layer may not) 404s.
import "leaflet/dist/leaflet.css";
import L from "leaflet";
import iconRetinaUrl from "leaflet/dist/images/marker-icon-2x.png";
import iconUrl from "leaflet/dist/images/marker-icon.png";
import shadowUrl from "leaflet/dist/images/marker-shadow.png";

L.Icon.Default.mergeOptions({ iconRetinaUrl, iconUrl, shadowUrl });
