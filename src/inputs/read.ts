import * as core from '@actions/core';
import { InputError } from '../facts/input-error.js';
import { defaultOf, INPUTS, type ChoiceOf, type InputName, type InputOf, type Read } from './table.js';
import { parseAmount, parseBoolean, parseDuration, parseInteger } from './parse.js';

// The typed readers: one per kind of input, each applying the table's default and turning a
// parser's complaint into one InputError that names the input.

/** The input's value, trimmed; action.yml's default when it arrives empty (as it does outside the runner). */
export function text(name: InputName): string {
  const value = core.getInput(name).trim();
  return value === '' ? defaultOf(name) : value;
}

/** Runs a check on one input, turning its complaint into an InputError that names the input. */
export function named<T>(name: InputName, check: () => T): T {
  try {
    return check();
  } catch (error) {
    throw asInputError(name, error);
  }
}

/** `named`, for the checks that load their parser when first needed (the YAML inputs). */
async function namedAsync<T>(name: InputName, check: () => Promise<T>): Promise<T> {
  try {
    return await check();
  } catch (error) {
    throw asInputError(name, error);
  }
}

function asInputError(name: InputName, error: unknown): InputError {
  if (error instanceof InputError) return error;
  return new InputError(name, error instanceof Error ? error.message : String(error));
}

/**
 * The first of `names` given a value of its own, for inputs that apply only beside another:
 * action.yml's defaults arrive as given values, so only a value that differs from one was set.
 */
export function strayInput<N extends InputName>(names: readonly N[]): N | undefined {
  return names.find((name) => text(name) !== defaultOf(name));
}

export function flag(name: InputOf<'boolean'>): boolean {
  return named(name, () => parseBoolean(text(name)));
}

/** One of the table's values for the input; undefined when empty and the input has no default. */
export function choice<N extends InputOf<'choice'>>(name: N): Read<N, ChoiceOf<N>> {
  const value = text(name);
  if (value === '') return undefined as Read<N, ChoiceOf<N>>;
  const values: readonly string[] = INPUTS[name].values;
  if (!values.includes(value)) {
    throw new InputError(name, `must be one of ${values.join(', ')}, got '${value}'`);
  }
  return value as Read<N, ChoiceOf<N>>;
}

/** A duration in milliseconds, at most `maxMs`. */
export function duration(name: InputOf<'duration'>, maxMs?: number): number {
  return named(name, () => parseDuration(text(name), maxMs));
}

/** A whole number from `min` to `max`; undefined when empty and the input has no default. */
export function integer<N extends InputOf<'number'>>(name: N, min: number, max: number): Read<N, number> {
  const value = text(name);
  return (value === '' ? undefined : named(name, () => parseInteger(value, min, max))) as Read<N, number>;
}

/** An amount of dollars above zero; undefined when empty. */
export function amount(name: InputOf<'number'>): number | undefined {
  const value = text(name);
  return value === '' ? undefined : named(name, () => parseAmount(value));
}

/** A YAML/JSON input through its check; undefined when empty. */
export async function structured<T>(
  name: InputOf<'mapping'>,
  check: (text: string) => Promise<T>,
): Promise<T | undefined> {
  const value = text(name);
  return value === '' ? undefined : namedAsync(name, () => check(value));
}

/** What plain http would carry in clear to each URL input's host. */
const CARRIES: Record<InputOf<'url'>, string> = {
  'base-url': 'the API key or token',
  'azure-authority-host': "the workflow's OIDC token",
  'azure-management-url': 'the Resource Manager token',
};

const EXAMPLES: Record<InputOf<'url'>, string> = {
  'base-url': 'https://api.openai.com/v1',
  'azure-authority-host': INPUTS['azure-authority-host'].default,
  'azure-management-url': INPUTS['azure-management-url'].default,
};

/**
 * An http(s) URL without its trailing slashes. Plain http is refused unless the host is this
 * machine or `allow-insecure-http` is true, since every URL input carries a credential.
 */
export function url(name: InputOf<'url'>, fallback = ''): string {
  const given = text(name) || fallback;
  const example = EXAMPLES[name];
  let parsed: URL;
  try {
    parsed = new URL(given);
  } catch {
    throw new InputError(name, `must be an http(s) URL such as ${example}, got '${given}'`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new InputError(name, `must use http or https, got '${given}'`);
  }
  if (parsed.protocol === 'http:' && !isLoopback(parsed.hostname) && !flag('allow-insecure-http')) {
    throw new InputError(
      name,
      `must use https for ${parsed.hostname}: plain http would send ${CARRIES[name]} in clear. http is allowed for this machine (localhost, 127.0.0.0/8, ::1), or set allow-insecure-http: true (a service container reached by name)`,
    );
  }
  return given.replace(/\/+$/, '');
}

/** This machine: localhost, 127.0.0.0/8 or ::1 (URL gives IPv6 hosts in brackets, IPv4 normalised). */
function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}
