// A multi grader's `calculate_output`: arithmetic over its graders' scores. Parsed by hand (a
// recursive descent over a dozen rules) rather than evaluated as code, so that a formula can do
// nothing but arithmetic; no kept npm package evaluates exactly this set and nothing more.

export type Formula = (scores: Record<string, number>) => number;

// The functions OpenAI's graders guide lists for calculate_output.
const FUNCTIONS: Record<string, { arity: 'one' | 'many'; apply: (...args: number[]) => number }> = {
  min: { arity: 'many', apply: Math.min },
  max: { arity: 'many', apply: Math.max },
  abs: { arity: 'one', apply: Math.abs },
  floor: { arity: 'one', apply: Math.floor },
  ceil: { arity: 'one', apply: Math.ceil },
  exp: { arity: 'one', apply: Math.exp },
  sqrt: { arity: 'one', apply: Math.sqrt },
  log: { arity: 'one', apply: Math.log },
};

const TOKEN =
  /\s*(?:(\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|([-+*/^(),]))/y;

type Token =
  { kind: 'number'; value: number } | { kind: 'name'; value: string } | { kind: 'symbol'; value: string };

function tokens(text: string): Token[] {
  const out: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(text);
    if (!match)
      throw new Error(`calculate_output: unexpected '${text.slice(at).trim()[0]}' at character ${at + 1}`);
    if (match[1] !== undefined) out.push({ kind: 'number', value: Number(match[1]) });
    else if (match[2] !== undefined) out.push({ kind: 'name', value: match[2] });
    else out.push({ kind: 'symbol', value: match[3] });
  }
  return out;
}

/**
 * Compiles a formula over the given grader names: + - * / ^ (power, right-associative), unary
 * minus, parentheses, and the functions min, max, abs, floor, ceil, exp, sqrt, log (natural).
 * Throws, saying what and where, on anything else or on a name that is not one of `names`.
 */
export function compileFormula(text: string, names: readonly string[]): Formula {
  const list = tokens(text);
  let at = 0;
  const peek = () => list[at];
  const isSymbol = (value: string) => peek()?.kind === 'symbol' && peek()!.value === value;
  const expect = (value: string) => {
    if (!isSymbol(value)) throw new Error(`calculate_output: expected '${value}' ${where()}`);
    at += 1;
  };
  const where = () => (at < list.length ? `before token ${at + 1}` : 'at the end');

  function expression(): Formula {
    let left = term();
    while (isSymbol('+') || isSymbol('-')) {
      const op = list[at++].value;
      const [l, r] = [left, term()];
      left = op === '+' ? (s) => l(s) + r(s) : (s) => l(s) - r(s);
    }
    return left;
  }
  function term(): Formula {
    let left = unary();
    while (isSymbol('*') || isSymbol('/')) {
      const op = list[at++].value;
      const [l, r] = [left, unary()];
      left = op === '*' ? (s) => l(s) * r(s) : (s) => l(s) / r(s);
    }
    return left;
  }
  function unary(): Formula {
    if (isSymbol('-')) {
      at += 1;
      const inner = unary();
      return (s) => -inner(s);
    }
    if (isSymbol('+')) {
      at += 1;
      return unary();
    }
    return power();
  }
  function power(): Formula {
    const base = primary();
    if (!isSymbol('^')) return base;
    at += 1;
    const exponent = unary();
    return (s) => base(s) ** exponent(s);
  }
  function primary(): Formula {
    const token = peek();
    if (!token) throw new Error('calculate_output: ends where a value is expected');
    at += 1;
    if (token.kind === 'number') return () => token.value;
    if (token.kind === 'symbol') {
      if (token.value !== '(') throw new Error(`calculate_output: unexpected '${token.value}' ${where()}`);
      const inner = expression();
      expect(')');
      return inner;
    }
    if (isSymbol('(')) return call(token.value);
    if (!names.includes(token.value)) {
      throw new Error(
        `calculate_output: '${token.value}' is not one of the multi grader's graders (${names.join(', ')})`,
      );
    }
    return (s) => s[token.value];
  }
  function call(name: string): Formula {
    const fn = FUNCTIONS[name];
    if (!fn)
      throw new Error(
        `calculate_output: unknown function '${name}'; known: ${Object.keys(FUNCTIONS).join(', ')}`,
      );
    expect('(');
    const args = [expression()];
    while (isSymbol(',')) {
      at += 1;
      args.push(expression());
    }
    expect(')');
    if (fn.arity === 'one' && args.length !== 1) throw new Error(`calculate_output: ${name} takes one value`);
    return (s) => fn.apply(...args.map((arg) => arg(s)));
  }

  if (list.length === 0) throw new Error('calculate_output is empty');
  const formula = expression();
  if (at < list.length) throw new Error(`calculate_output: unexpected '${list[at].value}' ${where()}`);
  return formula;
}
