import { defineConfig } from "vite";

// The built site is plain static files: served at / by the local run beside the API, and from
// a bucket behind a CDN in the cloud. Nothing secret is compiled in: the API address is read at
// run time from config.json (absent locally, where the API shares the site's origin).
export default defineConfig({
  base: "/",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    assetsInlineLimit: 0,
  },
  css: {
    preprocessorOptions: {
      scss: {
        // GOV.UK Frontend's own Sass triggers deprecation notices that are not ours to fix.
        quietDeps: true,
        loadPaths: ["node_modules"],
        silenceDeprecations: ["import", "global-builtin", "if-function"],
      },
    },
  },
  server: {
    proxy: Object.fromEntries(
      ["/auth", "/me", "/centres", "/series", "/resources", "/reports", "/health", "/_local"].map(
        (path) => [path, "http://127.0.0.1:8000"],
      ),
    ),
  },
});
