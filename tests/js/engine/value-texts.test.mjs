// The texts of message values the engine's worker words for the page (js/platform/value-texts.js): found at any
// depth of an answer, used by the page instead of its own Intl, and the same text the page would make.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { formatValue } from '../../../js/platform/message.js';
import { collectTexts, countryTexts, rememberTexts } from '../../../js/platform/value-texts.js';

const format = (value) => formatValue(value, { locale: 'en-GB' });

test('the engine words the dates, durations, countries and lists of an answer\'s messages, and its delivery windows', () => {
  const answer = {
    cart: { lines: [] },
    views: { v1: { delivery: { message: { key: 'quote.delivery.range', values: { dates: { dateRange: ['2026-12-08', '2026-12-10'] }, n: { number: 3 } } } } } },
    methods: [{ id: 'standard', delivery: { earliest: '2026-12-09', latest: '2026-12-09' } }],
    notice: { key: 'x', values: { within: { minutes: 95 }, to: { country: 'FR' }, amount: { money: 500 } } },
  };
  assert.deepEqual(collectTexts(answer, 'en-GB', format), {
    'en-GB|{"dateRange":["2026-12-08","2026-12-10"]}': format({ dateRange: ['2026-12-08', '2026-12-10'] }),
    'en-GB|{"date":"2026-12-09"}': 'Wed 9 Dec',
    'en-GB|{"dateRange":["2026-12-09","2026-12-09"]}': 'Wed 9 Dec',
    'en-GB|{"minutes":95}': format({ minutes: 95 }),
    'en-GB|{"country":"FR"}': 'France',
  });
  assert.equal(collectTexts({ cart: { lines: [{ productId: 'a' }] } }, 'en-GB', format), null);
  assert.deepEqual(countryTexts(['GB'], 'en-GB', format), { 'en-GB|{"country":"GB"}': 'United Kingdom' });
});

test('the page uses a text the engine sent for its locale, and words any other value itself', () => {
  rememberTexts({ 'en-GB|{"date":"2031-01-01"}': 'New Year\'s Day (from the engine)', 'en-GB|{"country":"ZZ"}': 7 });
  assert.equal(format({ date: '2031-01-01' }), 'New Year\'s Day (from the engine)');
  assert.equal(formatValue({ date: '2031-01-01' }, { locale: 'fr-FR' }), 'mer. 1 janv.');
  assert.equal(format({ date: '2031-01-02' }), 'Thu 2 Jan');
  assert.equal(format({ country: 'ZZ' }), 'Unknown Region'); // a text that is not a string is not kept
  rememberTexts(null); // nothing to keep
});
