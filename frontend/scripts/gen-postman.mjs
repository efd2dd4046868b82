#!/usr/bin/env node
// Generates postman/logister.postman_collection.json (repo root) from openapi.yaml with
// openapi-to-postmanv2, deterministically: running it twice gives byte-identical output.
//
// openapi-to-postmanv2 is not deterministic by itself: every item, response and the collection
// get random UUIDs, and example values are faked with Math.random. So this script
//   1. replaces Math.random with a fixed-seed generator before the converter is loaded,
//   2. replaces every id with a name-based UUID (v5) derived from the item's path in the
//      collection (folder / method + URL / response code + name), and
//   3. fails if any random-looking UUID is left anywhere in the output.
// The base URL is the collection variable {{baseUrl}}, default http://localhost:8080.

import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');
const specPath = path.join(repoRoot, 'openapi.yaml');
const outPath = path.join(repoRoot, 'postman', 'logister.postman_collection.json');

const BASE_URL_DEFAULT = 'http://localhost:8080';
// Any fixed UUID works as the namespace; changing it changes every id.
const ID_NAMESPACE = '6b0e3a1c-4f7d-4c57-9d0e-2f1b8a9c3e10';
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// 1. Seeded PRNG (mulberry32) in place of Math.random, installed before the converter loads
//    (its schema faker may keep a reference to Math.random).
function mulberry32(seed) {
  let a = seed >>> 0;
  return function random() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
Math.random = mulberry32(0x10c157e5);

const { default: Converter } = await import('openapi-to-postmanv2');

// 2. Name-based UUIDs (RFC 4122 version 5).
const assigned = new Set();

function uuidV5(name, namespace = ID_NAMESPACE) {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  const b = hash.subarray(0, 16);
  b[6] = (b[6] & 0x0f) | 0x50;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = b.toString('hex');
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  assigned.add(id);
  return id;
}

function convert(spec) {
  return new Promise((resolve, reject) => {
    Converter.convertV2(
      { type: 'string', data: spec },
      {
        folderStrategy: 'Tags',
        parametersResolution: 'Example',
        requestNameSource: 'Fallback',
        indentCharacter: 'Space',
        includeAuthInfoInExample: false,
      },
      (err, result) => {
        if (err) return reject(err);
        if (!result?.result) return reject(new Error(`conversion failed: ${result?.reason ?? 'unknown reason'}`));
        const collection = result.output?.find((o) => o.type === 'collection')?.data;
        if (!collection) return reject(new Error('conversion produced no collection'));
        resolve(collection);
      },
    );
  });
}

function requestKey(request) {
  const url = request?.url;
  const urlPath = Array.isArray(url?.path) ? url.path.join('/') : String(url?.raw ?? '');
  return `${request?.method ?? 'GET'} /${urlPath}`;
}

/** Gives `key` a suffix if an earlier sibling already used it, so ids stay unique. */
function uniqueKey(seen, key) {
  const n = seen.get(key) ?? 0;
  seen.set(key, n + 1);
  return n === 0 ? key : `${key} (${n + 1})`;
}

function assignIds(items, parentKey) {
  const seen = new Map();
  for (const item of items ?? []) {
    const own = item.request ? `request ${requestKey(item.request)}` : `folder ${item.name ?? ''}`;
    const key = uniqueKey(seen, `${parentKey}/${own}`);
    if ('id' in item) item.id = uuidV5(key);
    if (Array.isArray(item.item)) assignIds(item.item, key);
    const seenResponses = new Map();
    for (const response of item.response ?? []) {
      const responseKey = uniqueKey(
        seenResponses,
        `${key}/response ${String(response.code ?? '')} ${response.name ?? ''}`,
      );
      if ('id' in response) response.id = uuidV5(responseKey);
    }
  }
}

// 3. Guard: no random UUID may survive.
function findUuids(value, where, found) {
  if (typeof value === 'string') {
    if (UUID_RE.test(value)) found.push({ where, value });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => findUuids(v, `${where}[${i}]`, found));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) findUuids(v, `${where}.${k}`, found);
  }
  return found;
}

const spec = await readFile(specPath, 'utf8');
const collection = await convert(spec);

collection.info = { ...collection.info, _postman_id: uuidV5(`collection ${collection.info?.name ?? ''}`) };
assignIds(collection.item, 'collection');
collection.variable = [
  ...(collection.variable ?? []).filter((v) => v.key !== 'baseUrl'),
  { key: 'baseUrl', value: BASE_URL_DEFAULT, type: 'string' },
];

const leftovers = findUuids(collection, 'collection', []).filter(({ value }) => !assigned.has(value));
if (leftovers.length > 0) {
  const where = leftovers.map((l) => l.where).join(', ');
  throw new Error(`non-deterministic ids left in the collection at: ${where}`);
}

await mkdir(path.dirname(outPath), { recursive: true });
await writeFile(outPath, `${JSON.stringify(collection, null, 2)}\n`, 'utf8');
console.log(`wrote ${path.relative(repoRoot, outPath)}`);
