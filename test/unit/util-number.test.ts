import assert from 'node:assert/strict';
import { it } from 'node:test';
import { inlineNumber } from '../../source/util/number.js';

it('inlineNumber keeps every offset exact: small ones, ones past 2^31 and 2^32, and non-integers', () => {
  const read = new Float64Array([0, 42, 2 ** 31 - 1, 2 ** 31, 2 ** 32 + 7, 2 ** 53 - 1, -1, 1.5]);
  for (const n of read) assert.equal(inlineNumber(n), n);
});
