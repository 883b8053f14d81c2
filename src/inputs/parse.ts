import { describeValue, isMapping } from './values.js';

// Input values are strings; these helpers turn one into a typed value or say what is wrong with it.
// Each throws a plain Error whose message completes "Input 'x' ..."; config.ts adds the input name.

const UNIT_MS = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1 } as const;
const UNIT_ORDER = ['h', 'm', 's', 'ms'] as const;

/**
 * `45s`, `90m`, `2h`, `1h30m`, `250ms`; a bare number is minutes. Written by hand because the
 * common libraries (ms, parse-duration) accept forms the interface does not promise, such as
 * `1 week` or negative values, and would silently turn a typo into a different deadline.
 */
export function parseDuration(text: string, maxMs = Infinity): number {
  const value = text.trim();
  if (/^\d+(\.\d+)?$/.test(value)) return bounded(Number(value) * UNIT_MS.m, text, maxMs);
  const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== value) {
    throw new Error(`must be a duration such as 45s, 90m, 2h, 1h30m or 250ms, got '${text}'`);
  }
  let last = -1;
  let total = 0;
  for (const [, amount, unit] of parts) {
    const rank = UNIT_ORDER.indexOf(unit as keyof typeof UNIT_MS);
    if (rank <= last) throw new Error(`must list each unit once, largest first (as in 1h30m), got '${text}'`);
    last = rank;
    total += Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
  }
  return bounded(total, text, maxMs);
}

function bounded(exact: number, text: string, maxMs: number): number {
  const ms = Math.round(exact);
  if (!(ms > 0)) throw new Error(`must be at least 1ms, got '${text}'`);
  if (ms > maxMs) throw new Error(`must be at most ${maxMs / UNIT_MS.h}h, got '${text}'`);
  return ms;
}

export function parseBoolean(text: string): boolean {
  const value = text.trim().toLowerCase();
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new Error(`must be true or false, got '${text}'`);
}

export function parseInteger(text: string, min: number, max: number): number {
  const value = text.trim();
  if (!/^-?\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    const range = max === Infinity ? `of at least ${min}` : `from ${min} to ${max}`;
    throw new Error(`must be a whole number ${range}, got '${text}'`);
  }
  return Number(value);
}

/** An amount such as `25` or `1.50` (dollars): a plain decimal above zero, no sign or exponent. */
export function parseAmount(text: string): number {
  const value = text.trim().replace(/^\$/, '');
  if (!/^\d+(\.\d+)?$/.test(value) || !(Number(value) > 0)) {
    throw new Error(`must be an amount above zero such as 25 or 1.50, got '${text}'`);
  }
  return Number(value);
}

/**
 * YAML is a superset of JSON, so one parser takes `{a: 1}`, `{"a": 1}` and block mappings alike.
 * The parser loads on first use: most runs set no input written in YAML.
 */
export async function parseStructured(text: string): Promise<unknown> {
  const { parse: parseYaml } = await import('yaml');
  try {
    return parseYaml(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new Error(`is not valid YAML or JSON: ${reason}`);
  }
}

export async function parseMapping(text: string): Promise<Record<string, unknown>> {
  const value = await parseStructured(text);
  if (!isMapping(value))
    throw new Error(`must be a mapping such as {key: value}, got ${describeValue(value)}`);
  return value;
}
