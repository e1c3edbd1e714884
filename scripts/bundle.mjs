// Bundles the JS layer around the Emscripten glue into dist/ and prints the gzip size of every file.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const root = new URL('..', import.meta.url).pathname;
const dist = `${root}dist`;
const { version } = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
mkdirSync(dist, { recursive: true });

// The glue is CommonJS; the .cjs name keeps esbuild from reading it as an ES module.
copyFileSync(`${root}build/wasm/cartkeep-core.js`, `${root}build/wasm/cartkeep-core.cjs`);
copyFileSync(`${root}build/wasm/cartkeep-core.wasm`, `${dist}/cartkeep.wasm`);
copyFileSync(`${root}js/cartkeep.d.ts`, `${dist}/cartkeep.d.ts`);

const common = {
  bundle: true,
  minify: true,
  // The code already needs what ES2022 engines have (Object.hasOwn, structuredClone, Intl's decimal strings), so
  // class fields and logical assignment stay as written instead of lowered.
  target: ['es2022'],
  legalComments: 'none',
  define: { __CARTKEEP_VERSION__: JSON.stringify(version) },
  external: ['fs', 'path', 'crypto'], // used by the glue only under Node
  logLevel: 'warning',
};

await build({ ...common, entryPoints: [`${root}js/engine/entry-script.js`], outfile: `${dist}/cartkeep.js`, format: 'iife', platform: 'browser' });
// The engine's Web Worker: the glue and the core's session, nothing of the page.
await build({ ...common, entryPoints: [`${root}js/engine/entry-worker.js`], outfile: `${dist}/cartkeep.worker.js`, format: 'iife', platform: 'browser' });
await build({
  ...common,
  entryPoints: [`${root}js/engine/entry-module.js`],
  outfile: `${dist}/cartkeep.mjs`,
  format: 'esm',
  platform: 'neutral',
  mainFields: ['module', 'main'],
  // Under Node the glue calls require() and reads __dirname; give it both, and nothing in a browser.
  banner: {
    js: "const __cartkeepNodeModule=globalThis.process?.getBuiltinModule?.('module');" +
      'const require=__cartkeepNodeModule?__cartkeepNodeModule.createRequire(import.meta.url):void 0;' +
      "const __dirname=require?require('path').dirname(require('url').fileURLToPath(import.meta.url)):'';",
  },
});

await build({
  ...common,
  entryPoints: [`${root}js/engine/entry-commonjs.js`],
  outfile: `${dist}/cartkeep.cjs`,
  format: 'cjs',
  platform: 'node',
});

const rows = readdirSync(dist).sort().map((name) => {
  const bytes = readFileSync(`${dist}/${name}`);
  return { name, raw: statSync(`${dist}/${name}`).size, gzip: gzipSync(bytes, { level: 9 }).length };
});
const width = Math.max(...rows.map((r) => r.name.length));
console.log('dist/ sizes:');
for (const r of rows) console.log(`  ${r.name.padEnd(width)}  ${String(r.raw).padStart(8)} B  ${String(r.gzip).padStart(7)} B gzip`);
