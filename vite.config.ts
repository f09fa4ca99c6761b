import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The renderer is one static bundle served by both transports: Electron loads it from disk,
// serve mode from the local HTTP server. Relative base keeps both working.
export default defineConfig({
  root: 'src-renderer',
  base: './',
  plugins: [svelte()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // Pixi.js alone is ~500 kB; the app is loaded from disk or loopback, never a network.
    chunkSizeWarningLimit: 2000,
  },
});
