// Static server for the demo shop: / -> /demo/, /demo/* and /dist/* from the repo, a strict CSP on pages.
// `compress: true` sends gzip to clients that accept it, as a store's server or CDN would (bench/lighthouse).
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));
const SERVED = ['demo', 'dist'];
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json; charset=utf-8', '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.ts': 'text/plain; charset=utf-8',
};
// The demo proves CartKeep runs without eval or inline code: the strictest policy a store would use.
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

const COMPRESSIBLE = /^(text\/|application\/(json|wasm|octet-stream)|image\/svg)/;

export function startServer({ port = 8080, host = '127.0.0.1', quiet = false, hooks = {}, compress = false } = {}) {
  const gzipped = new Map(); // file -> { mtimeMs, body }: each file is compressed once, not on every request
  const gzipOf = (file) => {
    const { mtimeMs } = statSync(file);
    let entry = gzipped.get(file);
    if (!entry || entry.mtimeMs !== mtimeMs) gzipped.set(file, (entry = { mtimeMs, body: gzipSync(readFileSync(file)) }));
    return entry.body;
  };
  const server = createServer((request, response) => {
    const url = new URL(request.url, 'http://localhost');
    if (hooks.onRequest && hooks.onRequest(url, request, response)) return;
    if (url.pathname === '/' || url.pathname === '/demo') {
      response.writeHead(302, { location: '/demo/' }).end();
      return;
    }
    let path = normalize(decodeURIComponent(url.pathname)).replace(/^\/+/, '');
    if (!SERVED.includes(path.split('/')[0]) || path.includes('..')) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    let file = join(root, path);
    try {
      if (statSync(file).isDirectory()) file = join(file, 'index.html');
      statSync(file);
    } catch {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const type = TYPES[extname(file)] || 'application/octet-stream';
    const headers = { 'content-type': type, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' };
    if (type.startsWith('text/html')) headers['content-security-policy'] = CSP;
    if (compress && COMPRESSIBLE.test(type) && /\bgzip\b/.test(request.headers['accept-encoding'] || '')) {
      response.writeHead(200, { ...headers, 'content-encoding': 'gzip', vary: 'accept-encoding' }).end(gzipOf(file));
      return;
    }
    response.writeHead(200, headers);
    createReadStream(file).pipe(response);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address();
      const origin = `http://${host === '127.0.0.1' ? 'localhost' : host}:${address.port}`;
      if (!quiet) console.log(`CartKeep demo shop: ${origin}/demo/  (Ctrl+C to stop)`);
      resolve({ server, origin, close: () => new Promise((done) => { server.closeAllConnections?.(); server.close(done); }) });
    });
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  startServer({ port: Number(process.env.PORT || 8080), host: process.env.HOST || '127.0.0.1' }).catch((error) => {
    console.error(`could not start the demo server: ${error.message}`);
    process.exit(1);
  });
}
