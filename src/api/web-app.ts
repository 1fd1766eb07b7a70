import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { markSessionCookie } from './auth/session-cookies.js';
import type { HttpApp } from './http-app.js';

export interface WebAppOptions {
  /** The built web app (`vite build` output, `dist/web`). */
  dir: string;
}

/** The built app next to the server's own build: `<package>/dist/web`, from `src/` or `dist/`. */
export function defaultWebDir(): string {
  return resolve(import.meta.dirname, '..', '..', 'dist', 'web');
}

/** Paths that belong to the server's APIs: never answered with the web app (WEB-PLAN.md). */
const SERVER_PREFIXES = ['/api/', '/open-apis/', '/admin/', '/callback/'];
const SERVER_PATHS = new Set([
  '/api',
  '/open-apis',
  '/admin',
  '/callback',
  '/openapi.json',
  '/healthz',
  '/readyz',
  '/metrics',
]);

export function isServerPath(pathname: string): boolean {
  return SERVER_PATHS.has(pathname) || SERVER_PREFIXES.some((prefix) => pathname.startsWith(prefix));
}

/** Names that are files, never app URLs (an app URL may hold a dot: `/invite/<token>`). */
const STATIC_FILE =
  /\.(?:js|mjs|css|map|json|txt|html|ico|png|jpe?g|gif|svg|webp|woff2?|ttf|webmanifest|xml)$/i;

const NOT_BUILT = 'PeopleFlow web app not built: run "npm run build" (or "npm start", which builds first).\n';

// Hashed file names change with their content, so a year is safe; index.html must be asked for
// every time, or a browser keeps loading the previous release's chunks.
const IMMUTABLE = 'public, max-age=31536000, immutable';
const NO_CACHE = 'no-cache';

// Ant Design writes its styles at run time (style elements); everything else comes from here.
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ');

/**
 * The web app at `/`: files of the build as they are, and `index.html` for every other GET that is
 * not a server path (the app's router takes it from there). No routes are registered: all of this
 * runs from the not-found handler, so the API's own 404s stay theirs and /openapi.json lists only
 * API routes. Returns that handler; false means "not mine, answer 404 as before".
 */
export function registerWebApp(
  app: HttpApp,
  options: WebAppOptions,
): (request: FastifyRequest, reply: FastifyReply) => boolean {
  const root = resolve(options.dir);
  const built = () => existsSync(join(root, 'index.html'));
  void app.register(fastifyStatic, {
    root,
    serve: false,
    // ETag + Last-Modified: index.html is revalidated cheaply on every load.
    etag: true,
    lastModified: true,
    cacheControl: false,
  });

  return (request, reply) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return false;
    const pathname = pathOf(request.url);
    if (pathname === undefined || isServerPath(pathname)) return false;
    if (!built()) {
      void reply
        .code(404)
        .type('text/plain; charset=utf-8')
        .header('cache-control', NO_CACHE)
        .send(NOT_BUILT);
      return true;
    }
    const file = fileFor(root, pathname);
    if (file) {
      void reply
        .header('cache-control', pathname.startsWith('/assets/') ? IMMUTABLE : NO_CACHE)
        .header('x-content-type-options', 'nosniff')
        .sendFile(file.slice(root.length + 1), root);
      return true;
    }
    // `/assets/old-chunk.js` from a previous release: a 404, not the HTML page in its place.
    if (pathname.startsWith('/assets/') || STATIC_FILE.test(pathname)) {
      void reply.code(404).type('text/plain; charset=utf-8').send(`not found: ${pathname}\n`);
      return true;
    }
    markSessionCookie(app, request, reply);
    void sendIndex(root, reply);
    return true;
  };
}

async function sendIndex(root: string, reply: FastifyReply): Promise<void> {
  try {
    const html = await readFile(join(root, 'index.html'), 'utf8');
    await reply
      .code(200)
      .type('text/html; charset=utf-8')
      .header('cache-control', NO_CACHE)
      .header('content-security-policy', CONTENT_SECURITY_POLICY)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'same-origin')
      .send(html);
  } catch {
    await reply.code(404).type('text/plain; charset=utf-8').send(NOT_BUILT);
  }
}

function pathOf(url: string): string | undefined {
  const raw = url.split('?')[0] ?? '/';
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

/** A regular file of the build for this path, never outside it and never a dot-file (.vite/). */
function fileFor(root: string, pathname: string): string | undefined {
  if (pathname === '/' || pathname.endsWith('/') || pathname.includes('\0')) return undefined;
  if (pathname.split('/').some((part) => part.startsWith('.'))) return undefined;
  const file = resolve(root, `.${pathname}`);
  if (!file.startsWith(root + sep)) return undefined;
  try {
    return statSync(file).isFile() ? file : undefined;
  } catch {
    return undefined;
  }
}
