// A click that navigates never throws into the page: a failing location.assign becomes an error report.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { navigate } from '../../../js/platform/navigate.js';

test('navigate reports a failing location.assign instead of throwing', () => {
  const reported = [];
  const instance = { reportError: (error, context) => reported.push([error.name, context]) };
  const saved = globalThis.location;
  const visited = [];
  try {
    globalThis.location = { assign(url) { if (url.includes('99999')) throw new SyntaxError('Invalid URL'); visited.push(url); } };
    assert.equal(navigate(instance, 'https://evil.example:99999/x', 'nudge'), false);
    assert.deepEqual(reported, [['SyntaxError', { source: 'nudge', url: 'https://evil.example:99999/x' }]]);
    assert.equal(navigate(instance, '/checkout', 'nudge'), true);
    assert.deepEqual(visited, ['/checkout']);
  } finally {
    globalThis.location = saved;
  }
});
