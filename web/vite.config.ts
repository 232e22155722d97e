import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Built with: npx vite build --config web/vite.config.ts  →  web/dist (served by the server at "/").
// Dev:        npx vite --config web/vite.config.ts        →  proxies /api to the server (LIFELINE_PORT, default 8080).
//             VITE_LIFELINE_FIXTURE=1 npx vite --config web/vite.config.ts  →  in-browser fixture API, no server.
const root = fileURLToPath(new URL('.', import.meta.url));
const apiPort = process.env.LIFELINE_PORT ?? '8080';

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    manifest: true, // web/dist/.vite/manifest.json: read by web/scripts/bundle-size.mjs
    chunkSizeWarningLimit: 700,
  },
  server: {
    host: '127.0.0.1',
    proxy: {
      '/api': { target: `http://127.0.0.1:${apiPort}`, changeOrigin: false },
    },
  },
});
