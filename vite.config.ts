import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The web client. `npm run build` writes dist/client, which the server serves.
// `npm run dev:client` serves it with hot reload and proxies the API to a server on :8080.
export default defineConfig({
  root: "client",
  plugins: [react()],
  // One page, loaded once per screen: React + Leaflet in one bundle (~450 kB, 140 kB gzipped) is fine.
  build: { outDir: "../dist/client", emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 600 },
  server: {
    proxy: {
      "/api": "http://127.0.0.1:8080",
      "/socket.io": { target: "http://127.0.0.1:8080", ws: true },
    },
  },
});
