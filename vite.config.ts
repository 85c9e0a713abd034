import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer is built to plain files loaded by the app window (and by the browser harness).
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: { outDir: '../out/renderer', emptyOutDir: true, sourcemap: false },
});
