// The quote and suggestion widgets ask the engine on every update and show only the latest answer.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { latestAnswer, supersedeAnswers } from '../../../js/platform/latest-answer.js';

function later() {
  let settle;
  const promise = new Promise((resolve, reject) => { settle = { resolve, reject }; });
  return { promise, ...settle };
}

test('an answer that a newer ask superseded is dropped, even when it arrives last', async () => {
  const widget = { instance: {} };
  const slow = later();
  const fast = later();
  const first = latestAnswer(widget, () => slow.promise);
  const second = latestAnswer(widget, () => fast.promise);
  fast.resolve('new');
  assert.deepEqual(await second, { value: 'new' });
  slow.resolve('old');
  assert.equal(await first, null);
});

test('a failure is an answer too; a sync render or another instance supersedes what was asked', async () => {
  const widget = { instance: {} };
  const failure = new Error('refused');
  assert.deepEqual(await latestAnswer(widget, () => { throw failure; }), { error: failure });
  const waiting = later();
  const dropped = latestAnswer(widget, () => waiting.promise);
  supersedeAnswers(widget); // the widget showed something that needed no answer
  waiting.reject(failure);
  assert.equal(await dropped, null);
  const other = later();
  const orphan = latestAnswer(widget, () => other.promise);
  widget.instance = {}; // the page started another CartKeep
  other.resolve('for the old instance');
  assert.equal(await orphan, null);
});
