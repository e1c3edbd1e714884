// Cost per pointer event through the whole JS -> wasm path (instance.behaviour.move: the call the mousemove
// sensor makes: Embind call, dwell accounting, trajectory classification), in Node against dist/.
// Prints median and p99 per event over batches, and the wasm heap before and after (steady state allocates
// nothing: the heap must not grow). Figures only; not a test.
import { readFileSync } from 'node:fs';

const dist = new URL('../dist/', import.meta.url);
const CartKeep = await import(new URL('cartkeep.mjs', dist).href);
const wasmBinary = readFileSync(new URL('cartkeep.wasm', dist));
const store = await CartKeep.init({ currency: 'GBP', catalog: [{ id: 'mug', title: 'Mug', price: 850 }], wasmBinary });
const b = store.behaviour;
const t0 = performance.now() + 1;
b.observe([t0, 'session', { visitor: 'bench', session: 'bench', epochMs: Date.now() }]);
b.observe([t0, 'viewport', 1280, 800, false]);
b.observe([t0, 'route', '/product/mug', '', 'mug']);

// Pointer moves in the middle of the page, 60 Hz: the steady state of a shopper reading.
let t = t0;
const move = (i) => {
  t += 16;
  b.move(t, 300 + (i % 600), 200 + ((i * 7) % 400));
};
for (let i = 0; i < 20000; i++) move(i); // warm up the JIT and the core

const module = b.module;
const heapBefore = module.HEAP8 ? module.HEAP8.length : NaN;
const batch = 1000;
const batches = 400;
const perEvent = [];
let i = 0;
for (let k = 0; k < batches; k++) {
  const start = process.hrtime.bigint();
  for (let j = 0; j < batch; j++) move(i++);
  perEvent.push(Number(process.hrtime.bigint() - start) / batch / 1000); // µs per event
}
const heapAfter = module.HEAP8 ? module.HEAP8.length : NaN;
perEvent.sort((a, b2) => a - b2);
const pick = (q) => perEvent[Math.min(perEvent.length - 1, Math.floor(q * perEvent.length))];
const decisions = store.behaviour.session.call('behaviourDrain').length;
console.log(`pointer event, JS sensor call -> wasm core (${batches} batches of ${batch} moves):`);
console.log(`  median ${pick(0.5).toFixed(3)} µs/event, p99 ${pick(0.99).toFixed(3)} µs/event, min ${perEvent[0].toFixed(3)} µs/event`);
console.log(`  wasm heap ${heapBefore} B before, ${heapAfter} B after (${heapAfter === heapBefore ? 'no growth' : 'GREW'}); decisions while reading: ${decisions}`);

// Single events, for the tail: each timed alone (includes timer resolution).
const single = [];
for (let k = 0; k < 20000; k++) {
  const start = process.hrtime.bigint();
  move(i++);
  single.push(Number(process.hrtime.bigint() - start) / 1000);
}
single.sort((a, b2) => a - b2);
console.log(`  one event timed alone: median ${single[10000].toFixed(3)} µs, p99 ${single[19800].toFixed(3)} µs`);
store.destroy();
