/**
 * Builds the browser pages into client/dist, which the server serves as
 * static files: join.html (the review) and, when present, archive.html.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const clientDir = path.dirname(fileURLToPath(import.meta.url));

const pages = ['join.html', 'archive.html'].filter((page) =>
  fs.existsSync(path.join(clientDir, page)),
);

export default defineConfig({
  root: clientDir,
  base: '/',
  build: {
    outDir: path.join(clientDir, 'dist'),
    emptyOutDir: true,
    sourcemap: true,
    rollupOptions: {
      input: Object.fromEntries(
        pages.map((page) => [path.basename(page, '.html'), path.join(clientDir, page)]),
      ),
    },
  },
});
