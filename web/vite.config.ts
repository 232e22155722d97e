import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Plugin } from 'vite';

/** Writes NAME.br and NAME.gz next to every text asset; the server sends them to browsers that accept them. */
function precompress(): Plugin {
  return {
    name: 'lifeline-precompress',
    apply: 'build',
    writeBundle(options, bundle) {
      for (const name of Object.keys(bundle)) {
        if (!/\.(js|css|html|svg|json)$/.test(name) || name.startsWith('.vite/')) continue;
        const file = path.join(options.dir!, name);
        let data: Buffer;
        try {
          data = fs.readFileSync(file);
        } catch {
          continue; // another build emptied the folder meanwhile; that build writes its own
        }
        if (data.length < 1024) continue;
        fs.writeFileSync(`${file}.br`, zlib.brotliCompressSync(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length } }));
        fs.writeFileSync(`${file}.gz`, zlib.gzipSync(data, { level: 9 }));
      }
    },
  };
}

// Built with: npx vite build --config web/vite.config.ts  →  web/dist (served by the server at "/").
// Dev:        npx vite --config web/vite.config.ts        →  proxies /api to the server (LIFELINE_PORT, default 8080).
//             VITE_LIFELINE_FIXTURE=1 npx vite --config web/vite.config.ts  →  in-browser fixture API, no server.
const root = fileURLToPath(new URL('.', import.meta.url));
const apiPort = process.env.LIFELINE_PORT ?? '8080';

export default defineConfig({
  root,
  base: '/',
  plugins: [react(), precompress()],
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
