// One registry of error codes (include/cartkeep/error_codes.hpp): the d.ts union, the README's table and every
// code the JavaScript layer raises must agree with it, so no code reaches a merchant unlisted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const read = (path) => readFileSync(join(root, path), 'utf8');

function registry() {
  const rows = [...read('include/cartkeep/error_codes.hpp').matchAll(/X\((\w+), "([a-z-]+)", "([^"]+)"\)/g)];
  return new Map(rows.map(([, , id, meaning]) => [id, meaning]));
}

function jsSources(dir = 'js') {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = `${dir}/${name}`;
    if (statSync(join(root, path)).isDirectory()) return jsSources(path);
    return path.endsWith('.js') ? [path] : [];
  });
}

test('the registry lists each code once with its meaning', () => {
  const text = read('include/cartkeep/error_codes.hpp');
  const ids = [...text.matchAll(/X\(\w+, "([a-z-]+)"/g)].map((m) => m[1]);
  assert.ok(ids.length >= 20, `found ${ids.length} codes`);
  assert.equal(new Set(ids).size, ids.length, 'an id is listed twice');
  for (const [id, meaning] of registry()) assert.ok(meaning.length > 10, `${id} has no meaning`);
});

test('cartkeep.d.ts types CartKeepError.code as the registry union', () => {
  const dts = read('js/cartkeep.d.ts');
  const union = dts.match(/export type CartKeepErrorCode =([^;]+);/);
  assert.ok(union, 'CartKeepErrorCode is missing from cartkeep.d.ts');
  const typed = [...union[1].matchAll(/'([a-z-]+)'/g)].map((m) => m[1]).sort();
  assert.deepEqual(typed, [...registry().keys()].sort());
  assert.match(dts, /readonly code: CartKeepErrorCode;/);
});

test('the README documents every registered code with its meaning', () => {
  const readme = read('README.md');
  const section = readme.slice(readme.indexOf('### Error codes'), readme.indexOf('### Widgets'));
  const documented = [...section.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]).sort();
  assert.deepEqual(documented, [...registry().keys()].sort());
});

test('every code the JavaScript layer raises is registered', () => {
  const codes = registry();
  const raised = new Map();
  const patterns = [/new CartKeepError\(\s*'([a-z-]+)'/g, /asCartKeepError\([^)]*?,\s*'([a-z-]+)'\)/g,
    /fetchJson\([^)]*?,\s*'([a-z-]+)'/g, /code\s*=\s*[^;]*?'([a-z]+-[a-z-]+)'\s*:\s*'([a-z]+-[a-z-]+)'/g];
  for (const file of jsSources()) {
    const text = read(file);
    for (const pattern of patterns) {
      for (const match of text.matchAll(pattern)) for (const id of match.slice(1)) raised.set(id, file);
    }
  }
  assert.ok(raised.size >= 8, `found only ${raised.size} raised codes: the scan is broken`);
  for (const [id, file] of raised) assert.ok(codes.has(id), `${file} raises unregistered code "${id}"`);
});
