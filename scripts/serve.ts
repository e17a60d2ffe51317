/**
 * A small static server for the demo meeting (dist/demo at /) and the browser-test fixtures
 * (tests/fixtures at /fixtures/), on localhost only.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const MOUNTS: [prefix: string, dir: string][] = [
  ['/fixtures/', join(ROOT, 'tests/fixtures')],
  ['/pages/', join(ROOT, 'dist/pages')],
  ['/models/', join(ROOT, 'models')],
  // the shared real photos, for scripts/bench.ts only (tests use tests/fixtures/photos)
  ['/shared-photos/', join(ROOT, '../shared/media/photos')],
  // tests only: the packages' wasm files
  ['/node_modules/', join(ROOT, 'node_modules')],
  ['/', join(ROOT, 'dist/demo')],
];
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.jpg': 'image/jpeg',
  '.png': 'image/png',
  '.bin': 'application/octet-stream',
  '.wasm': 'application/wasm',
  '.webm': 'video/webm',
  '.mp4': 'video/mp4',
  '.mov': 'video/quicktime',
  '.ogv': 'video/ogg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.bmp': 'image/bmp',
  '.svg': 'image/svg+xml',
};

export interface RunningServer {
  url: string;
  server: Server;
  close: () => Promise<void>;
}

function resolvePath(pathname: string): string | undefined {
  for (const [prefix, dir] of MOUNTS) {
    if (!pathname.startsWith(prefix)) continue;
    const file = normalize(join(dir, decodeURIComponent(pathname.slice(prefix.length))));
    if (!file.startsWith(dir)) return undefined;
    if (existsSync(file) && statSync(file).isDirectory()) return join(file, 'index.html');
    return file;
  }
  return undefined;
}

/**
 * `files` maps extra URL paths to files anywhere on disk (the analyser's inputs, served at
 * /input/N/NAME); nothing else outside the mounts is reachable. `headers` adds response headers
 * to chosen requests (the benchmark's cross-origin isolated page: COOP and COEP).
 */
export function startServer(
  port = 0,
  host = '127.0.0.1',
  files = new Map<string, string>(),
  headers: (url: URL) => Record<string, string> | undefined = () => undefined,
): Promise<RunningServer> {
  if (!existsSync(join(ROOT, 'dist/demo/index.html')) || !existsSync(join(ROOT, 'dist/pages'))) {
    throw new Error('dist/demo is missing: run `npm run build` first.');
  }
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const file = files.get(url.pathname) ?? resolvePath(url.pathname);
    if (!file || !existsSync(file)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
      ...headers(url),
    });
    createReadStream(file).pipe(res);
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      const { port: actual } = server.address() as AddressInfo;
      ok({
        url: `http://localhost:${actual}/`,
        server,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  const port = Number(process.env.PORT ?? 5180);
  const { url } = await startServer(port);
  console.log(`MoodLens demo meeting: ${url}`);
}
