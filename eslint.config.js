// Lint rules, including the import rules of the design (see README "Layout"):
// protocol/ imports nothing of ours; mavlink/ imports only protocol/; only mavlink/ imports node-mavlink;
// the client never imports server runtime code (only server/protocol: types and pure helpers);
// sitl/ imports only server/mavlink and server/protocol; server/storage imports only server/protocol;
// folders are entered through their index.ts.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";

const mavlinkLibs = {
  group: ["node-mavlink", "node-mavlink/*", "mavlink-mappings", "mavlink-mappings/*"],
  message: "Only server/mavlink/ may import node-mavlink or mavlink-mappings.",
};
const serverFolders = ["config", "mavlink", "vehicles", "realtime", "http", "protocol", "storage", "auth", "audit", "control", "missions", "alerts", "flights", "cluster"];
// Reaching into another folder's files instead of its index.ts.
const insides = serverFolders.map((f) => ({
  group: [`**/${f}/*`, `!**/${f}/index`],
  message: `Import server/${f} through its index.ts.`,
}));
const serverRuntime = serverFolders.filter((f) => f !== "protocol").map((f) => `**/server/${f}`);

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "test/artifacts/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-restricted-imports": ["error", { patterns: [mavlinkLibs] }],
    },
  },
  {
    // Stores are becoming asynchronous (one data-access layer for SQLite and PostgreSQL): a promise used as a value
    // (`if (store.get(id))` is always true) or left unawaited is a bug the type checker alone does not catch.
    files: ["server/**/*.ts", "test/**/*.ts", "bench/**/*.ts", "sitl/**/*.ts"],
    languageOptions: { parserOptions: { project: "./tsconfig.json", tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/await-thenable": "error",
    },
  },
  {
    files: ["server/**/*.ts"],
    ignores: ["server/mavlink/**", "server/protocol/**"],
    rules: {
      "no-console": "error",
      "no-restricted-imports": ["error", {
        // Raw MAVLink (MAVLink units) is for vehicle-side tools and tests; the server reads SI units from decode.
        paths: [{ name: "../mavlink", importNames: ["RawDecoder", "RawEncoder", "RawFields", "RawMessage", "RawValue"],
          message: "The server works in SI units: use decodeFrame / MavlinkEncoder, not the raw codec." }],
        patterns: [mavlinkLibs, ...insides.map((p) => ({ ...p, group: p.group.map((g) => g.replace("**/", "../")) }))],
      }],
    },
  },
  {
    files: ["server/mavlink/**/*.ts"],
    rules: {
      "no-console": "error",
      "no-restricted-imports": ["error", { patterns: [
        { group: ["../config*", "../vehicles*", "../realtime*", "../http*", "../storage*", "../auth*", "../audit*", "../main*", "**/sitl/**", "**/client/**"], message: "server/mavlink imports only server/protocol." },
      ] }],
    },
  },
  {
    // Storage runs the migrations it is handed (by the composition root): it knows no capability above it.
    files: ["server/storage/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [mavlinkLibs,
        { group: ["../*", "!../protocol", "../protocol/*", "../../*"], message: "server/storage imports nothing of ours but server/protocol." },
      ] }],
    },
  },
  {
    files: ["server/protocol/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [
        { group: ["../*", "!../protocol", "node-mavlink", "mavlink-mappings", "socket.io", "express", "zod"], message: "server/protocol imports nothing: pure types and pure functions." },
      ] }],
    },
  },
  {
    files: ["sitl/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [mavlinkLibs,
        { group: ["**/server/*", "!**/server/mavlink", "!**/server/protocol"], message: "sitl/ imports only server/mavlink and server/protocol (through their index)." },
      ] }],
    },
  },
  {
    // The benchmark measures node-mavlink's own path beside ours, so it may import it.
    files: ["bench/**/*.ts"],
    rules: { "no-restricted-imports": "off" },
  },
  {
    files: ["client/**/*.{ts,tsx}"],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "no-restricted-imports": ["error", { patterns: [mavlinkLibs,
        { group: serverRuntime, message: "The client never imports server runtime code." },
        { group: ["**/server/protocol/*"], allowTypeImports: true, message: "Import server/protocol through its index (types, and pure helpers only)." },
      ] }],
    },
  },
  {
    // Test support lives under test/ (test/support/<area>/, client/src/test/) or, when it needs a folder's
    // internals, beside the code as *.testkit.ts; no production file may import it. The typescript-eslint copy of
    // the rule is used so this block adds to, rather than replaces, each folder's no-restricted-imports.
    files: ["**/*.{ts,tsx,js,mjs}"],
    ignores: ["**/*.test.ts", "**/*.test.tsx", "**/*.testkit.ts", "test/**", "bench/**", "client/src/test/**"],
    rules: {
      "@typescript-eslint/no-restricted-imports": ["error", { patterns: [
        { group: ["**/*.testkit*", "**/test/**", "**/test-support/**"], message: "Production code never imports test support." },
      ] }],
    },
  },
);
