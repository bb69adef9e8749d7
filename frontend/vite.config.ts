/// <reference types="vitest/config" />
import { defineConfig } from 'vite';

// Preact's automatic JSX runtime via Vite's built-in transformer; no Babel preset needed.
export default defineConfig({
  resolve: { alias: { '@': decodeURIComponent(new URL('./src', import.meta.url).pathname) } },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    target: 'es2022',
    // No inline <script>/<style> and no data: module preload polyfill, so the strict CSP holds.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
  server: {
    proxy: { '/api': 'http://localhost:8000', '/ws': { target: 'ws://localhost:8000', ws: true } },
  },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['src/test/setup.ts'],
    restoreMocks: true,
    unstubGlobals: true,
    // One jsdom per worker rather than per file: building a fresh environment for each of ~50 files
    // was most of the run (75 s of 215 s on two cores). Tests clean up after themselves (setup.ts).
    isolate: false,
  },
});
