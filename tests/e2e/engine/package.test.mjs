// The npm package as a consumer gets it: `npm pack`, install the tarball into an empty project, then use it
// from Node (import and require, the .wasm found next to the module) and from a browser page.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { launchBrowser, openPage } from '../helpers/browser.mjs';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const npm = (args, cwd) => execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, encoding: 'utf8' });
let work;
let project;

before(() => {
  work = mkdtempSync(join(tmpdir(), 'cartkeep-pack-'));
  const [packed] = JSON.parse(npm(['pack', '--json', '--pack-destination', work], root));
  project = join(work, 'shop');
  execFileSync('mkdir', ['-p', project]);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'shop', private: true, type: 'module' }));
  npm(['install', '--offline', join(work, packed.filename)], project);
  globalThis.packedFiles = packed.files.map((f) => f.path).sort();
});
after(() => rmSync(work, { recursive: true, force: true }));

test('the tarball holds the built files, the types and the README only', () => {
  assert.deepEqual(globalThis.packedFiles, ['README.md', 'dist/cartkeep.cjs', 'dist/cartkeep.d.ts', 'dist/cartkeep.js',
    'dist/cartkeep.mjs', 'dist/cartkeep.wasm', 'dist/cartkeep.worker.js', 'package.json']);
});

const catalog = JSON.stringify([{ id: 'mug', title: 'Mug', price: 850 }]);

test('import from an installed package works in Node without extra options', () => {
  const script = `import { init, CartKeepError } from 'cartkeep';
    const shop = await init({ currency: 'GBP', catalog: ${catalog} });
    await shop.cart.add('mug', 2);
    const bad = await init({ currency: 'GBP', catalog: [{ id: 'x' }] }).catch((e) => e);
    console.log(JSON.stringify({ subtotal: shop.cart.subtotal(), code: bad.code, isError: bad instanceof CartKeepError }));
    shop.destroy();`;
  writeFileSync(join(project, 'use.mjs'), script);
  const out = JSON.parse(execFileSync(process.execPath, ['use.mjs'], { cwd: project, encoding: 'utf8', timeout: 60000 }));
  assert.deepEqual(out, { subtotal: 1700, code: 'invalid-catalog', isError: true });
});

test('a Node process that never calls destroy() still exits', () => {
  writeFileSync(join(project, 'forgetful.mjs'), `import { init } from 'cartkeep';
    const shop = await init({ currency: 'GBP', catalog: ${catalog} });
    await shop.cart.add('mug', 1);
    console.log(shop.cart.count());`);
  // execFileSync kills the child and throws when it is still running after the timeout.
  const out = execFileSync(process.execPath, ['forgetful.mjs'], { cwd: project, encoding: 'utf8', timeout: 30000 });
  assert.equal(out.trim(), '1');
});

test('require from an installed package works, and the .wasm subpath resolves', () => {
  const script = `const { init } = require('cartkeep');
    const wasm = require.resolve('cartkeep/cartkeep.wasm');
    init({ currency: 'JPY', catalog: [{ id: 'a', title: 'A', price: 1200 }] }).then(async (shop) => {
      await shop.cart.add('a', 3);
      console.log(JSON.stringify({ subtotal: shop.cart.subtotal(), wasm: wasm.endsWith('dist/cartkeep.wasm') }));
      shop.destroy();
    });`;
  writeFileSync(join(project, 'use.cjs'), script);
  const out = JSON.parse(execFileSync(process.execPath, ['use.cjs'], { cwd: project, encoding: 'utf8', timeout: 60000 }));
  assert.deepEqual(out, { subtotal: 3600, wasm: true });
});

test('the installed script-tag build runs in Chromium', async () => {
  const dist = join(project, 'node_modules/cartkeep/dist');
  const types = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };
  const server = createServer((request, response) => {
    const name = new URL(request.url, 'http://x').pathname.slice(1) || 'index.html';
    if (!['index.html', 'cartkeep.js', 'cartkeep.worker.js', 'cartkeep.wasm'].includes(name)) {
      response.writeHead(name === 'favicon.ico' ? 204 : 404).end();
      return;
    }
    const body = name === 'index.html'
      ? `<!doctype html><body><cartkeep-cart-count></cartkeep-cart-count>
         <script src="cartkeep.js" data-config='{"currency":"GBP","catalog":${catalog}}'></script></body>`
      : readFileSync(join(dist, name));
    response.writeHead(200, { 'content-type': types[extname(name) || '.html'],
      'content-security-policy': "script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; base-uri 'none'" });
    response.end(body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const browser = await launchBrowser();
  try {
    const { page, problems } = await openPage(browser, `http://localhost:${server.address().port}/`);
    const count = await page.evaluate(async () => {
      const shop = await CartKeep.ready;
      await shop.cart.add('mug', 4);
      await new Promise((resolve) => setTimeout(resolve, 0));
      return document.querySelector('cartkeep-cart-count').shadowRoot.textContent;
    });
    assert.equal(count, '4');
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
    server.close();
  }
});
