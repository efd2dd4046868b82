/// <reference types="vitest/config" />
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin, type ProxyOptions } from 'vite';

/** The Go server the dev/preview server proxies to; override with LOGISTER_API_URL. */
const API_TARGET = process.env.LOGISTER_API_URL ?? 'http://127.0.0.1:8080';

/** Paths the Go server answers; everything else is the SPA. */
const SERVER_PATHS = ['/api', '/up', '/health', '/metrics', '/openapi.yaml', '/apidocs'];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Proxy each server path exactly (itself, or followed by `/` or `?`), not mere prefixes. */
function serverProxy(): Record<string, ProxyOptions> {
  return Object.fromEntries(
    SERVER_PATHS.map((p) => [`^${escapeRegExp(p)}(?:[/?]|$)`, { target: API_TARGET }]),
  );
}

/**
 * Copies Swagger UI's browser bundle and stylesheet from the `swagger-ui-dist` package into
 * `apidocs/` of the build output, next to `public/apidocs/init.js`. The Go server's
 * `/api/docs` page loads all three from there, so the API reference needs no CDN.
 * Source-map comments are dropped because the maps are not shipped.
 */
function swaggerUiAssets(): Plugin {
  const require = createRequire(import.meta.url);
  const files: readonly (readonly [string, string])[] = [
    ['swagger-ui-bundle.js', 'apidocs/swagger-ui-bundle.js'],
    ['swagger-ui.css', 'apidocs/swagger-ui.css'],
    ['swagger-ui-bundle.js.LICENSE.txt', 'apidocs/swagger-ui-bundle.js.LICENSE.txt'],
    ['LICENSE', 'apidocs/LICENSE'],
    ['NOTICE', 'apidocs/NOTICE'],
  ];
  return {
    name: 'logister:swagger-ui-assets',
    apply: 'build',
    generateBundle() {
      const dir = path.dirname(require.resolve('swagger-ui-dist/package.json'));
      for (const [from, to] of files) {
        const source = readFileSync(path.join(dir, from), 'utf8')
          .replace(/^\/\/# sourceMappingURL=.*$/gm, '')
          .replace(/\/\*# sourceMappingURL=.*?\*\//g, '');
        this.emitFile({ type: 'asset', fileName: to, source });
      }
    },
  };
}

export default defineConfig({
  plugins: [react(), swaggerUiAssets()],
  build: {
    // A subfolder, so that the committed frontend/dist/README.md survives `emptyOutDir`.
    outDir: 'dist/app',
    emptyOutDir: true,
    sourcemap: false,
  },
  server: {
    proxy: serverProxy(),
  },
  preview: {
    proxy: serverProxy(),
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    restoreMocks: true,
  },
});
