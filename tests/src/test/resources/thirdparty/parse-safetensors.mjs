// @huggingface/hub's safetensors parser (the code the Hub uses to show a model's tensors and parameter counts),
// pointed at a local folder through a fetch that answers like the Hub: HEAD for existence, ranged GETs with
// Content-Range and an ETag. Prints the parsed headers and its parameter counts (per dtype and summed) as JSON.
// Usage: node parse-safetensors.mjs MODEL_DIR
import { parseSafetensorsMetadata } from '@huggingface/hub';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(process.argv[2]);
const PREFIX = '/local/model/';

function localFetch(url, init = {}) {
  const u = new URL(url);
  const m = u.pathname.startsWith(PREFIX) && u.pathname.slice(PREFIX.length).match(/^(?:resolve|raw)\/main\/(.+)$/);
  const file = m ? path.join(root, decodeURIComponent(m[1])) : null;
  if (!file || !file.startsWith(root + path.sep) || !existsSync(file) || !statSync(file).isFile()) {
    return Promise.resolve(new Response('not found', { status: 404, headers: { 'X-Error-Code': 'EntryNotFound' } }));
  }
  const size = statSync(file).size;
  const headers = { ETag: `"${size}-${statSync(file).mtimeMs}"`, 'Accept-Ranges': 'bytes' };
  if ((init.method ?? 'GET') === 'HEAD') {
    return Promise.resolve(new Response(null, { status: 200, headers: { ...headers, 'Content-Length': String(size) } }));
  }
  const range = new Headers(init.headers ?? {}).get('Range');
  let start = 0;
  let end = size - 1;
  if (range) {
    const r = range.match(/^bytes=(\d+)-(\d*)$/);
    start = Number(r[1]);
    end = r[2] === '' ? size - 1 : Math.min(Number(r[2]), size - 1);
  }
  const length = Math.max(0, end - start + 1);
  const buf = Buffer.alloc(length);
  const fd = openSync(file, 'r');
  try { readSync(fd, buf, 0, length, start); } finally { closeSync(fd); }
  return Promise.resolve(new Response(buf, {
    status: range ? 206 : 200,
    headers: { ...headers, 'Content-Length': String(length), ...(range ? { 'Content-Range': `bytes ${start}-${end}/${size}` } : {}) },
  }));
}

const parsed = await parseSafetensorsMetadata({
  repo: 'local/model', hubUrl: 'http://hub.invalid', fetch: localFetch, computeParametersCount: true,
});
const headers = parsed.sharded ? parsed.headers : { [parsed.filepaths[0]]: parsed.header };
const tensors = {};
for (const [file, header] of Object.entries(headers)) {
  for (const [name, info] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    tensors[name] = { file, dtype: info.dtype, shape: info.shape, data_offsets: info.data_offsets };
  }
}
console.log(JSON.stringify({
  sharded: parsed.sharded, files: parsed.filepaths, tensors,
  parameterCount: parsed.parameterCount,
  parameterSum: Object.values(parsed.parameterCount).reduce((a, b) => a + b, 0),
}));
