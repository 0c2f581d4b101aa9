import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../../source/config/errors.js';
import { PropertiesError, parseProperties } from '../../source/config/properties.js';
import { fixture } from '../helpers/fixtures.js';

function errorOf(run: () => unknown): PropertiesError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof PropertiesError, `expected PropertiesError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a PropertiesError');
}

describe('parseProperties', () => {
  const props = parseProperties(fixture('props-escapes.properties'));

  it('skips # and ! comments, even indented ones', () => {
    assert.equal(
      [...props.keys()].some((key) => key.includes('comment') || key.startsWith('#')),
      false,
    );
  });

  it('accepts =, : and whitespace separators and keeps trailing whitespace of values', () => {
    assert.equal(props.get('key2'), 'value2   ');
    assert.equal(props.get('key3'), 'value3');
    assert.equal(props.get('key4'), 'value4');
    assert.equal(props.get('key5'), 'tab separated');
  });

  it('takes only the first separator, so a value may start with = or :', () => {
    assert.equal(props.get('key6'), '= starts with equals');
    assert.equal(props.get('key7'), ': starts with colon');
  });

  it('gives a key without separator an empty value, and allows an empty key', () => {
    assert.equal(props.get('key8'), '');
    assert.equal(props.get(''), 'empty key');
  });

  it('keeps escaped separators inside keys', () => {
    assert.equal(props.get('key=9'), 'escaped equals in key');
    assert.equal(props.get('key:10'), 'escaped colon in key');
    assert.equal(props.get('key 11'), 'escaped space in key');
  });

  it('decodes \\t \\n \\r \\f \\\\ and \\uXXXX escapes', () => {
    assert.equal(props.get('key12'), 'line\nbreak\ttab\rreturn\fformfeed\\backslash');
    assert.equal(props.get('key13'), 'Aé€');
    assert.equal(props.get('key17'), '#not a comment');
  });

  it('continues a line only after an odd number of trailing backslashes', () => {
    assert.equal(props.get('key14'), 'ends with even backslashes \\\\');
    assert.equal(props.get('key15'), 'continued onto the next line');
    assert.equal(props.get('key16'), 'odd \\continues after an escaped backslash');
    assert.equal(props.get('key18'), 'trailing ');
  });

  it('lets later keys override earlier ones', () => {
    assert.equal(props.get('key1'), 'overridden');
  });

  it('handles CRLF and lone CR line endings, including in continuations', () => {
    const endings = parseProperties(fixture('props-line-endings.properties'));
    assert.deepEqual(Object.fromEntries(endings), { 'crlf.one': 'a', 'crlf.two': 'bc', 'cr.three': 'd' });
  });

  it('ends a continuation at a blank line and ignores backslashes at the end of comments', () => {
    const continued = parseProperties(fixture('mm2-continuation.properties'));
    assert.equal(continued.get('clusters'), 'alpha,beta');
    assert.equal(continued.get('alpha.bootstrap.servers'), 'alpha-1:9092, alpha-2:9092');
    assert.equal(continued.get('beta.bootstrap.servers'), 'beta-1:9092');
    assert.equal(continued.get('alpha->beta.enabled'), 'true');
    assert.equal(continued.get('alpha->beta.topics'), 'first,second,');
    assert.equal(continued.get('ignored-after-blank'), '');
    assert.equal(continued.get('third key'), 'spaced key');
    assert.equal(continued.get('colon:key'), 'colon key');
    assert.equal(continued.get('tab\tvalue'), 'a\tb');
    assert.equal(continued.get('unicode'), 'café');
  });

  it('drops a dangling backslash at the very end of the input', () => {
    assert.deepEqual(Object.fromEntries(parseProperties('a = b\\')), { a: 'b' });
  });

  it('parses an empty or comment-only text to an empty map', () => {
    assert.equal(parseProperties('').size, 0);
    assert.equal(parseProperties('# only\n\n   ! comments\n').size, 0);
  });

  it('reports a malformed \\uXXXX escape with the file name and the physical line', () => {
    const error = errorOf(() => parseProperties(fixture('mm2-malformed.properties'), 'mm2.properties'));
    assert.equal(error.message, 'mm2.properties line 10: malformed \\uXXXX escape');
    assert.equal(error.line, 10);
    assert.equal(error.fileName, 'mm2.properties');
    assert.equal(error.name, 'PropertiesError');
    assert.ok(error instanceof ConfigError);
  });

  it('reports a \\u escape cut short by the end of the value', () => {
    const error = errorOf(() => parseProperties('ok = 1\nbad = x\\u12\n', 'short.properties'));
    assert.equal(error.message, 'short.properties line 2: malformed \\uXXXX escape');
  });

  it('reports an escape in a key on the continuation line where it occurs', () => {
    const error = errorOf(() => parseProperties('a\\\n  b\\uXYZW = 1'));
    assert.equal(error.line, 2);
    assert.equal(error.message, 'properties line 2: malformed \\uXXXX escape');
  });
});
