import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// No React plugin: esbuild compiles JSX with the automatic runtime.
export default defineConfig({
  base: './',
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    // Two pages: the distributor's app and the head-office dashboard that
    // `vitaran headoffice serve` serves from the same build.
    rollupOptions: { input: { main: 'index.html', ho: 'ho.html' } },
  },
  plugins: [
    {
      // dist/.gitkeep is tracked so `//go:embed all:frontend/dist` compiles on a
      // fresh clone; emptyOutDir removes it, so put it back.
      name: 'keep-dist-gitkeep',
      closeBundle() {
        writeFileSync(fileURLToPath(new URL('./dist/.gitkeep', import.meta.url)), '');
      },
    },
  ],
  server: {
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
