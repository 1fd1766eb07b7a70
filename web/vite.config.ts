import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/** The server the dev server forwards API calls to (`npm run dev:server` listens there). */
const apiTarget = process.env.PEOPLEFLOW_DEV_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root: here('.'),
  plugins: [react()],
  resolve: {
    // Types only: the contract module has no runtime code (see src/api/people/contract.ts).
    alias: { '@contract': here('../src/api/people/contract.ts') },
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false },
    },
  },
  build: {
    outDir: here('../dist/web'),
    emptyOutDir: true,
    // bench/web-bundle.ts reads it to measure the approval center's first load.
    manifest: true,
    chunkSizeWarningLimit: 900,
    rolldownOptions: {
      output: {
        // Long-lived vendor chunks: a release that changes only our code keeps them cached.
        codeSplitting: {
          groups: [
            {
              name: 'react',
              test: /node_modules[\\/](react|react-dom|scheduler|react-router|react-router-dom)[\\/]/,
            },
            { name: 'i18n', test: /node_modules[\\/](i18next|react-i18next)[\\/]/ },
          ],
        },
      },
    },
  },
  test: {
    root: here('.'),
    include: ['src/lib/**/*.test.ts', 'src/pages/**/*.test.ts', 'src/api/**/*.test.ts'],
    environment: 'node',
  },
});
