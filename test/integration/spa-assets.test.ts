import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spaRoutes } from '../../service/http/spa.js';

/** The built renderer as scripts/precompress.mjs leaves it: a script with its .br and .gz, a font without. */
const script = `console.log(${JSON.stringify('証明書'.repeat(400))});\n`;
let dir: string;
let server: Server;
let base: string;

/** fetch decodes br/gzip itself: the body is what the browser's parser gets, Content-Encoding says how it travelled. */
async function get(url: string, acceptEncoding: string): Promise<{ status: number; headers: Headers; body: Buffer }> {
  const res = await fetch(`${base}${url}`, { headers: { 'accept-encoding': acceptEncoding, accept: 'text/html,*/*' } });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'shomei-spa-'));
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Shomei</title>');
  writeFileSync(path.join(dir, 'assets/index-Ab12_c.js'), script);
  writeFileSync(path.join(dir, 'assets/index-Ab12_c.js.br'), brotliCompressSync(script));
  writeFileSync(path.join(dir, 'assets/index-Ab12_c.js.gz'), gzipSync(script));
  writeFileSync(path.join(dir, 'assets/font-x1.woff2'), Buffer.from('wOF2 not compressible'));
  const app = express();
  app.use(spaRoutes(dir));
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

describe('the built renderer over HTTP', () => {
  it('sends a script brotli-compressed to a browser that accepts it, cached for a year', async () => {
    const res = await get('/assets/index-Ab12_c.js', 'gzip, deflate, br');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBe('br');
    expect(res.headers.get('content-type')).toMatch(/^text\/javascript|^application\/javascript/);
    expect(res.headers.get('vary')).toMatch(/Accept-Encoding/i);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.body.toString('utf8')).toBe(script);
  });

  it('sends gzip to a browser without brotli, and the file as it is to one that accepts neither', async () => {
    const gz = await get('/assets/index-Ab12_c.js', 'gzip, deflate');
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gz.body.toString('utf8')).toBe(script);
    const plain = await get('/assets/index-Ab12_c.js', 'identity');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(plain.headers.get('vary')).toMatch(/Accept-Encoding/i);
    expect(plain.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(plain.body.toString('utf8')).toBe(script);
  });

  it('sends fonts as they are, cached for a year; an unknown asset is a 404, not the page', async () => {
    const font = await get('/assets/font-x1.woff2', 'gzip, br');
    expect(font.status).toBe(200);
    expect(font.headers.get('content-encoding')).toBeNull();
    expect(font.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await get('/assets/index-Zz99.js', 'gzip, br')).status).toBe(404);
    const outside = await get('/assets/..%2Findex.html', 'gzip, br');
    expect(outside.status).toBeGreaterThanOrEqual(400);
    expect(outside.body.toString('utf8')).not.toContain('<title>Shomei</title>');
  });

  it('answers every page with index.html, never cached', async () => {
    for (const url of ['/', '/login', '/index.html']) {
      const res = await get(url, 'gzip, br');
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(res.body.toString('utf8')).toContain('<title>Shomei</title>');
    }
  });
});
