// A dependency-free static file server for the demo and the browser tests: serves the
// repository on 127.0.0.1 only, with the MIME types browsers insist on (application/wasm,
// text/javascript for .mjs), no caching, and no path outside the served folder. Pages are
// cross-origin isolated (COOP: same-origin, COEP: require-corp), so the demo gets
// SharedArrayBuffer and the threaded engine; --no-isolation (startServer({ isolated: false }))
// leaves the headers out, to see the single-thread fallback.
//
//   node scripts/serve.mjs [--port 8080] [--root .] [--no-isolation]   # prints the demo's URL
//   import { startServer } from './scripts/serve.mjs';   // tests: { url, port, close() }
//
// --port 0 picks a free port. A busy port is an error that names it (try another --port).

import { createReadStream, promises as fs } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const HOST = '127.0.0.1';

export const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
  '.cts': 'text/plain; charset=utf-8',
  '.safetensors': 'application/octet-stream',
};

function send(res, status, message, headers = {}) {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  res.end(message);
}

// Resolves a request path inside root, or null when it would leave root.
function resolveInside(root, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const file = path.resolve(root, `.${path.posix.normalize(`/${decoded}`)}`);
  return file === root || file.startsWith(root + path.sep) ? file : null;
}

// The two headers that make a page cross-origin isolated (and its subresources loadable in one).
export const ISOLATION_HEADERS = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

async function handle(root, defaultPath, isolated, req, res) {
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Method Not Allowed\n', { Allow: 'GET, HEAD' });
  const url = new URL(req.url, `http://${HOST}`);
  if (url.pathname === '/' && defaultPath !== '/') return send(res, 302, '', { Location: defaultPath });
  let file = resolveInside(root, url.pathname);
  if (file === null) return send(res, 403, 'Forbidden\n');
  // Dot folders (.git, .ci, .cache) are never served.
  if (path.relative(root, file).split(path.sep).some((part) => part.startsWith('.'))) return send(res, 404, `Not Found: ${url.pathname}\n`);
  let stat;
  try {
    stat = await fs.stat(file);
    if (stat.isDirectory()) {
      // Relative URLs inside index.html need the trailing slash.
      if (!url.pathname.endsWith('/')) return send(res, 301, '', { Location: `${url.pathname}/${url.search}` });
      file = path.join(file, 'index.html');
      stat = await fs.stat(file);
    }
  } catch {
    return send(res, 404, `Not Found: ${url.pathname}\n`);
  }
  const type = MIME_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
  res.writeHead(200, {
    'Content-Type': type,
    'Content-Length': stat.size,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...(isolated ? ISOLATION_HEADERS : {}),
  });
  if (req.method === 'HEAD') return res.end();
  createReadStream(file)
    .on('error', () => res.destroy())
    .pipe(res);
}

/** Starts serving `root` on 127.0.0.1:`port` (0 = a free port). Resolves to { url, port, close }. */
export function startServer({ root = defaultRoot(), port = 0, defaultPath = '/demo/', isolated = true } = {}) {
  const absRoot = path.resolve(root);
  const server = http.createServer((req, res) => {
    handle(absRoot, defaultPath, isolated, req, res).catch((e) => send(res, 500, `Internal Server Error: ${e.message}\n`));
  });
  return new Promise((resolve, reject) => {
    server.once('error', (e) => {
      reject(e.code === 'EADDRINUSE' ? new Error(`port ${port} on ${HOST} is in use; pick another with --port`) : e);
    });
    server.listen(port, HOST, () => {
      const actual = server.address().port;
      resolve({
        url: `http://${HOST}:${actual}`,
        port: actual,
        close: () => new Promise((done) => {
          server.closeAllConnections?.();
          server.close(() => done());
        }),
      });
    });
  });
}

function defaultRoot() {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
}

function parseArgs(argv) {
  const out = { port: 8080, root: defaultRoot(), isolated: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--port') out.port = Number(value());
    else if (a === '--root') out.root = path.resolve(value());
    else if (a === '--no-isolation') out.isolated = false;
    else if (a === '--help' || a === '-h') out.help = true;
    else throw new Error(`unknown argument ${a} (use --port N, --root DIR, --no-isolation)`);
  }
  if (!Number.isInteger(out.port) || out.port < 0 || out.port > 65535) throw new Error('--port must be an integer in 0..65535');
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`serve: ${e.message}`);
    process.exit(2);
  }
  if (args.help) {
    console.log('node scripts/serve.mjs [--port 8080] [--root DIR] [--no-isolation]   serves DIR (the repository) on 127.0.0.1, cross-origin isolated unless --no-isolation');
    process.exit(0);
  }
  startServer(args).then(
    ({ url }) => {
      console.log(`webtorch demo: ${url}/demo/   (serving ${args.root} on ${HOST} only; Ctrl-C stops)`);
    },
    (e) => {
      console.error(`serve: ${e.message}`);
      process.exit(1);
    },
  );
}
