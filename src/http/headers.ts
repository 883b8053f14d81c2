// Header names are HTTP tokens (RFC 9110, 5.6.2); values may not hold NUL, CR or LF.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const FORBIDDEN_IN_VALUE = /[\0\r\n]/;
// The fetch standard's "normalize": leading and trailing HTTP whitespace is dropped.
const EDGE_WHITESPACE = /^[\t\n\r ]+|[\t\n\r ]+$/g;

function checkName(name: string): string {
  if (!TOKEN.test(name)) throw new TypeError(`Invalid header name: "${name}"`);
  return name.toLowerCase();
}

function checkValue(name: string, value: string): string {
  const normalized = String(value).replace(EDGE_WHITESPACE, '');
  if (FORBIDDEN_IN_VALUE.test(normalized)) throw new TypeError(`Invalid value for header "${name}"`);
  return normalized;
}

export type HeadersSource = Iterable<readonly [string, string]> | Record<string, string | readonly string[]>;

/**
 * The standard `Headers`, for the action's own process (see `./globals.ts`). Node's global
 * `Headers` exists only as part of undici, its fetch, and bringing it in costs the whole of undici:
 * about 15 MB resident and 25 ms (`npm run bench`). The package for this, headers-polyfill, sorts
 * names with `localeCompare`, which loads ICU's collation data, and drops an invalid value in
 * silence where the standard throws; hence this small class.
 */
export class LightHeaders {
  /** Lower-cased name to its values in the order they were added. */
  readonly #values = new Map<string, string[]>();

  constructor(init?: HeadersSource | null) {
    if (!init) return;
    const rows = Symbol.iterator in init ? init : Object.entries(init);
    for (const [name, value] of rows as Iterable<readonly [string, string | readonly string[]]>) {
      for (const one of typeof value === 'string' ? [value] : value) this.append(name, one);
    }
  }

  append(name: string, value: string): void {
    const key = checkName(name);
    const normalized = checkValue(name, value);
    const existing = this.#values.get(key);
    if (existing) existing.push(normalized);
    else this.#values.set(key, [normalized]);
  }

  set(name: string, value: string): void {
    this.#values.set(checkName(name), [checkValue(name, value)]);
  }

  delete(name: string): void {
    this.#values.delete(checkName(name));
  }

  get(name: string): string | null {
    return this.#values.get(checkName(name))?.join(', ') ?? null;
  }

  has(name: string): boolean {
    return this.#values.has(checkName(name));
  }

  getSetCookie(): string[] {
    return [...(this.#values.get('set-cookie') ?? [])];
  }

  /**
   * Sorted by name, byte order, one row per name with its values joined, except `set-cookie`,
   * whose values cannot be joined and come one row each: the standard's iteration order.
   */
  *entries(): IterableIterator<[string, string]> {
    for (const name of [...this.#values.keys()].sort()) {
      const values = this.#values.get(name)!;
      if (name === 'set-cookie') for (const value of values) yield [name, value];
      else yield [name, values.join(', ')];
    }
  }

  *keys(): IterableIterator<string> {
    for (const [name] of this.entries()) yield name;
  }

  *values(): IterableIterator<string> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }

  forEach(callback: (value: string, name: string, parent: LightHeaders) => void, thisArg?: unknown): void {
    for (const [name, value] of this.entries()) callback.call(thisArg, value, name, this);
  }

  get [Symbol.toStringTag](): string {
    return 'Headers';
  }
}
