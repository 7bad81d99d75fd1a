import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        // Two entries: the Electron app and the headless CLI (`streampulse`), which never loads Electron.
        input: {
          index: resolve('src/main/index.ts'),
          cli: resolve('src/main/cli.ts'),
          // Worker threads run these entries (see src/main/runtime/pipeline.ts).
          'generator-worker': resolve('src/main/workers/generator-worker.ts'),
          'engine-worker': resolve('src/main/workers/engine-worker.ts'),
          'export-worker': resolve('src/main/workers/export-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        // A sandboxed window only runs CommonJS preloads.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('src/renderer'),
    build: {
      rollupOptions: { input: { index: resolve('src/renderer/index.html') } },
    },
    plugins: [react()],
  },
});
