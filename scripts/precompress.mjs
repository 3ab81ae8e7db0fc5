// After `vite build`: a brotli (.br) and a gzip (.gz) copy of every compressible built asset, so the
// service sends them compressed without compressing per request (service/http/spa.ts). A variant
// that would not be smaller is not written.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const assets = path.join(root, 'dist/renderer/assets');
// woff2 fonts and png images are compressed already; the first page's TrueType subsets are not.
const COMPRESSIBLE = /\.(js|mjs|css|svg|json|txt|html|map|ttf)$/;
const MIN_BYTES = 1024;

let plain = 0;
let brotli = 0;
let count = 0;
for (const name of readdirSync(assets)) {
  if (!COMPRESSIBLE.test(name)) continue;
  const file = path.join(assets, name);
  const data = readFileSync(file);
  if (data.length < MIN_BYTES) continue;
  const br = brotliCompressSync(data, {
    params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: data.length },
  });
  const gz = gzipSync(data, { level: 9 });
  if (br.length < data.length) writeFileSync(`${file}.br`, br);
  if (gz.length < data.length) writeFileSync(`${file}.gz`, gz);
  plain += data.length;
  brotli += Math.min(br.length, data.length);
  count += 1;
}
console.log(`precompressed ${count} assets: ${(plain / 1000).toFixed(0)} kB → ${(brotli / 1000).toFixed(0)} kB brotli`);
