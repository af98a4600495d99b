import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer is one page built into dist/renderer. `base: './'` keeps asset URLs relative,
// so the same build loads over http:// (web mode) and file:// (Electron).
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
  },
});
