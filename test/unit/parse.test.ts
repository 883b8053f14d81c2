import { describe, expect, it } from 'vitest';
import { parseBoolean, parseDuration, parseInteger, parseMapping } from '../../src/inputs/parse.js';

// The helpers behind every input: each turns a string into a value, or throws a message that
// completes "Input 'x' ..." and quotes what the user wrote.

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

describe('parseDuration', () => {
  it.each([
    ['45s', 45 * SECOND],
    ['90m', 90 * MINUTE],
    ['2h', 2 * HOUR],
    ['1h30m', 90 * MINUTE],
    ['5h50m', 5 * HOUR + 50 * MINUTE],
    ['250ms', 250],
    ['1m30s', 90 * SECOND],
    ['1h2m3s4ms', HOUR + 2 * MINUTE + 3 * SECOND + 4],
    ['1.5h', 90 * MINUTE],
    ['0.5s', 500],
    ['90s', 90 * SECOND],
    [' 45s ', 45 * SECOND],
  ])('reads %j as %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([
    ['10', 10 * MINUTE],
    ['350', 350 * MINUTE],
    ['2.5', 150 * SECOND],
  ])('reads the bare number %j as minutes', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', 'abc', '10 m', '1h 30m', '5d', '5M', '1e3', '.5h', 'h', '-5m', '+5m', '5m!', '1.5.h'])(
    'rejects %j as not a duration, quoting it',
    (text) => {
      expect(() => parseDuration(text)).toThrow(
        `must be a duration such as 45s, 90m, 2h, 1h30m or 250ms, got '${text}'`,
      );
    },
  );

  it.each(['0', '0s', '0h0m', '0.0', '0ms', '0.4ms'])('rejects the zero duration %j', (text) => {
    expect(() => parseDuration(text)).toThrow(`must be at least 1ms, got '${text}'`);
  });

  it.each(['30s1h', '1h1h', '250ms1s', '30m1h30s'])(
    'rejects %j, whose units are repeated or out of order',
    (text) => {
      expect(() => parseDuration(text)).toThrow(
        `must list each unit once, largest first (as in 1h30m), got '${text}'`,
      );
    },
  );
});

describe('parseBoolean', () => {
  it.each([
    ['true', true],
    ['false', false],
    ['TRUE', true],
    ['False', false],
    [' true ', true],
  ])('reads %j as %s', (text, value) => {
    expect(parseBoolean(text)).toBe(value);
  });

  it.each(['yes', 'no', '1', '0', 'on', '', 'truthy'])('rejects %j', (text) => {
    expect(() => parseBoolean(text)).toThrow(`must be true or false, got '${text}'`);
  });
});

describe('parseInteger', () => {
  const SEED_MAX = 2147483647;

  it.each([
    ['0', 0],
    ['42', 42],
    [String(SEED_MAX), SEED_MAX],
    [' 7 ', 7],
    ['007', 7],
  ])('reads %j within 0..2147483647 as %i', (text, value) => {
    expect(parseInteger(text, 0, SEED_MAX)).toBe(value);
  });

  it('accepts negative numbers when the range allows them', () => {
    expect(parseInteger('-3', -5, 5)).toBe(-3);
    expect(parseInteger('-5', -5, 5)).toBe(-5);
  });

  it.each(['-1', '2147483648', '1.5', '1e3', '0x10', 'abc', '', '1 000'])(
    'rejects %j, naming the range',
    (text) => {
      expect(() => parseInteger(text, 0, SEED_MAX)).toThrow(
        `must be a whole number from 0 to ${SEED_MAX}, got '${text}'`,
      );
    },
  );

  it('applies both bounds inclusively', () => {
    expect(parseInteger('1', 1, 3)).toBe(1);
    expect(parseInteger('3', 1, 3)).toBe(3);
    expect(() => parseInteger('0', 1, 3)).toThrow('must be a whole number from 1 to 3');
    expect(() => parseInteger('4', 1, 3)).toThrow('must be a whole number from 1 to 3');
  });
});

describe('parseMapping', () => {
  const expected = { n_epochs: 3, batch_size: 'auto' };

  it.each([
    ['JSON', '{"n_epochs": 3, "batch_size": "auto"}'],
    ['a YAML flow mapping', '{n_epochs: 3, batch_size: auto}'],
    ['a YAML block mapping', 'n_epochs: 3\nbatch_size: auto\n'],
  ])('reads %s', async (_form, text) => {
    expect(await parseMapping(text)).toEqual(expected);
  });

  it('keeps nested values and quoted numbers as written', async () => {
    expect(await parseMapping('wandb:\n  project: p\n  tags: [a, b]\nseed: "42"')).toEqual({
      wandb: { project: 'p', tags: ['a', 'b'] },
      seed: '42',
    });
  });

  it.each([
    ['a flow list', '[1, 2]', 'got a list'],
    ['a block list', '- a\n- b', 'got a list'],
    ['a word', 'n_epochs=3', "got 'n_epochs=3'"],
    ['a number', '42', 'got number 42'],
    ['a boolean', 'true', 'got boolean true'],
    ['nothing', '', 'got null'],
    ['a null', 'null', 'got null'],
  ])('rejects %s, saying what it got', async (_what, text, got) => {
    await expect(parseMapping(text)).rejects.toThrow(`must be a mapping such as {key: value}, ${got}`);
  });

  it.each([
    ['an unclosed flow mapping', '{n_epochs: 3', 'Flow map must end with a }'],
    ['a repeated key', '{n_epochs: 3, n_epochs: 4}', 'Map keys must be unique'],
    ['a compact nested mapping', 'a: b: c', 'Nested mappings are not allowed'],
    ['tab indentation', 'a:\n\tb: 1', 'Tabs are not allowed'],
    ['two documents', 'a: 1\n---\nb: 2', 'multiple documents'],
  ])('rejects %s as invalid YAML, in one line', async (_what, text, reason) => {
    let message = '';
    try {
      await parseMapping(text);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^is not valid YAML or JSON: /);
    expect(message).toContain(reason);
    // Only the parser's first line: its code excerpt would clutter the step's one error.
    expect(message).not.toContain('\n');
  });
});
