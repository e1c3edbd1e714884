// Keys that come from outside (options, messages, templates) are looked up as own properties only.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { pushDataLayer } from '../../../js/events/datalayer.js';
import { fillTemplate } from '../../../js/platform/format.js';

const HOSTILE = ['__proto__', 'constructor', 'prototype', 'toString'];

test('a template placeholder named after an Object member stays as written', () => {
  for (const name of HOSTILE) {
    assert.equal(fillTemplate(`{${name}} {title}`, { title: 'Mug' }), `{${name}} Mug`);
  }
  assert.equal(fillTemplate('{toString}', { toString: 'own' }), 'own');
});

test('a dataLayer name that is an inherited member of the page is never replaced', () => {
  const before = Object.getPrototypeOf(globalThis);
  const inherited = HOSTILE.filter((name) => name in globalThis && !Object.hasOwn(globalThis, name));
  assert.deepEqual(inherited, ['__proto__', 'constructor', 'toString']);
  for (const name of inherited) {
    const had = Object.getOwnPropertyDescriptor(globalThis, name);
    pushDataLayer(name, [{ event: 'x' }]);
    assert.deepEqual(Object.getOwnPropertyDescriptor(globalThis, name), had, name);
  }
  assert.equal(Object.getPrototypeOf(globalThis), before);
  pushDataLayer('ownLayerForTest', [{ event: 'x' }]);
  assert.deepEqual(globalThis.ownLayerForTest, [{ event: 'x' }]);
  delete globalThis.ownLayerForTest;
});
