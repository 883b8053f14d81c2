import { describe, expect, it } from 'vitest';
import { compileFormula } from '../../src/eval/formula.js';
import { grade, stringCheck } from '../../src/eval/grade.js';
import { DEFAULT_GRADER, parseGraders } from '../../src/eval/graders.js';
import { judgeMessages, readScore } from '../../src/eval/judge.js';
import { render } from '../../src/eval/template.js';

const similarityGrader = (metric: string, extra: Record<string, unknown> = {}) => ({
  type: 'text_similarity',
  name: metric,
  input: '{{sample.output_text}}',
  reference: '{{item.reference}}',
  evaluation_metric: metric,
  ...extra,
});

const judge = {
  type: 'score_model',
  name: 'judge',
  model: 'gpt-4.1-mini',
  input: [
    { role: 'system', content: 'Grade the answer against the reference.' },
    {
      role: 'user',
      content: [
        { type: 'input_text', text: 'Answer: {{sample.output_text}}\nReference: {{item.reference}}' },
      ],
    },
  ],
  range: [0, 10],
  pass_threshold: 7,
};

describe('reading graders', () => {
  it('reads one grader or a list, in OpenAI format, keeping each as given', () => {
    expect(parseGraders(similarityGrader('bleu', { pass_threshold: 0.5 }))).toEqual([
      similarityGrader('bleu', { pass_threshold: 0.5 }),
    ]);
    const list = parseGraders([
      {
        type: 'string_check',
        name: 'exact',
        input: '{{ sample.output_text }}',
        reference: '{{item.answer}}',
        operation: 'eq',
      },
      judge,
      {
        type: 'multi',
        name: 'combined',
        graders: {
          exact: {
            type: 'string_check',
            name: 'x',
            input: '{{sample.output_text}}',
            reference: 'yes',
            operation: 'ilike',
          },
          near: similarityGrader('rouge_l'),
        },
        calculate_output: '0.5 * exact + 0.5 * max(near, 0)',
      },
    ]);
    expect(list.map((g) => g.type)).toEqual(['string_check', 'score_model', 'multi']);
  });

  it('names a grader after its type when it has no name', () => {
    expect(parseGraders({ type: 'string_check', input: 'a', reference: 'b', operation: 'ne' })[0].name).toBe(
      'string_check',
    );
  });

  it.each([
    [
      { ...similarityGrader('bleu'), type: 'text_similarty' },
      /graders\[0\] has type "text_similarty"; expected one of string_check/,
    ],
    [
      similarityGrader('rouge_9'),
      /graders\[0\] \(a text_similarity grader\): evaluation_metric must be one of fuzzy_match, bleu, gleu, rouge_1/,
    ],
    [similarityGrader('meteor'), /evaluation_metric meteor needs the WordNet/],
    [similarityGrader('cosine'), /evaluation_metric cosine needs an embeddings model/],
    [
      { type: 'string_check', input: 'a', reference: 'b', operation: 'contains' },
      /operation must be one of eq, ne, like, ilike, got "contains"/,
    ],
    [{ type: 'string_check', input: 'a', operation: 'eq' }, /lacks reference/],
    [similarityGrader('bleu', { pass_treshold: 0.5 }), /unknown field 'pass_treshold'/],
    [similarityGrader('bleu', { pass_threshold: 'high' }), /pass_threshold must be a number/],
    [
      { ...similarityGrader('bleu'), input: '{{answer}}' },
      /input: the template \{\{answer\}\} must name item.<field> or sample.output_text/,
    ],
    [
      { ...similarityGrader('bleu'), input: '{{sample.output_json}}' },
      /is not supported: the answer is sample.output_text/,
    ],
    [{ ...judge, range: [1, 0] }, /range must be two numbers, lowest first/],
    [{ ...judge, input: [{ role: 'critic', content: 'x' }] }, /input\[0\]: role must be one of user/],
    [
      { ...judge, input: [{ role: 'user', content: [{ type: 'input_image', image_url: 'x' }] }] },
      /content must be text/,
    ],
    [{ ...judge, sampling_params: { temprature: 0 } }, /sampling_params has an unknown key 'temprature'/],
    [{ type: 'python', name: 'p', source: 'def grade(): pass' }, /python graders run code/],
    [
      { type: 'multi', graders: { a: similarityGrader('bleu') }, calculate_output: 'a + b' },
      /'b' is not one of the multi grader's graders \(a\)/,
    ],
    [
      { type: 'multi', graders: { a: similarityGrader('nope') }, calculate_output: 'a' },
      /graders\[0\].graders.a \(a text_similarity grader\): evaluation_metric must be/,
    ],
  ])('refuses a bad grader, saying what and where (%#)', (grader, message) => {
    expect(() => parseGraders([grader])).toThrow(message);
  });

  it('refuses an empty list, a non-mapping and two graders of one name', () => {
    expect(() => parseGraders([])).toThrow(/empty list/);
    expect(() => parseGraders('bleu')).toThrow(/the grader must be a grader mapping, got "bleu"/);
    expect(() => parseGraders([similarityGrader('bleu'), similarityGrader('bleu')])).toThrow(
      /two graders named 'bleu'/,
    );
  });
});

describe('templates', () => {
  const item = { reference: 'Paris', meta: { topic: 'geo', tags: ['a', 'b'] }, n: 3 };
  it('fills sample.output_text and item fields, nested by dots and indices', () => {
    expect(
      render(
        '{{sample.output_text}} / {{ item.reference }} / {{item.meta.topic}} / {{item.meta.tags[1]}} / {{item.n}} / {{item.meta.tags}}',
        item,
        'Lyon',
      ),
    ).toBe('Lyon / Paris / geo / b / 3 / ["a","b"]');
  });
  it('says which field an item lacks', () => {
    expect(() => render('{{item.answer}}', item, '')).toThrow('the item has no value for {{item.answer}}');
  });
});

describe('calculate_output', () => {
  const scores = { a: 0.5, b: 0.25 };
  it.each([
    ['a + b', 0.75],
    ['0.5 * a + 0.5 * b', 0.375],
    ['(a - b) / 2', 0.125],
    ['-a + 1', 0.5],
    ['a ^ 2 ^ 1', 0.25],
    ['min(a, b, 0.1) + max(a, b)', 0.6],
    ['abs(b - a) + floor(1.7) + ceil(0.2) + exp(0) + sqrt(4) + log(1)', 5.25],
    ['2 * -b', -0.5],
  ])('computes %s', (formula, expected) => {
    expect(compileFormula(formula, ['a', 'b'])(scores)).toBeCloseTo(expected, 12);
  });
  it.each([
    ['a +', /ends where a value is expected/],
    ['a b', /unexpected 'b'/],
    ['pow(a, 2)', /unknown function 'pow'/],
    ['abs(a, b)', /abs takes one value/],
    ['a; process.exit()', /unexpected ';'/],
    ['constructor', /'constructor' is not one of/],
    ['', /calculate_output is empty/],
  ])('refuses %s', (formula, message) => {
    expect(() => compileFormula(formula, ['a', 'b'])).toThrow(message);
  });
});

describe('grading one answer', () => {
  const item = { reference: 'The capital of France is Paris.' };

  it('checks strings as OpenAI documents: eq, ne exact; like contains; ilike contains ignoring case', () => {
    expect([stringCheck('eq', 'Paris', 'Paris'), stringCheck('eq', 'paris', 'Paris')]).toEqual([1, 0]);
    expect([stringCheck('ne', 'a', 'b'), stringCheck('ne', 'a', 'a')]).toEqual([1, 0]);
    expect([
      stringCheck('like', 'It is Paris.', 'Paris'),
      stringCheck('like', 'It is PARIS.', 'Paris'),
    ]).toEqual([1, 0]);
    expect(stringCheck('ilike', 'It is PARIS.', 'paris')).toBe(1);
  });

  it('scores text similarity and passes at the threshold', async () => {
    const [grader] = parseGraders(similarityGrader('fuzzy_match', { pass_threshold: 0.9 }));
    expect(await grade(grader, { item, output: item.reference })).toEqual({ score: 1, passed: true });
    const near = await grade(grader, { item, output: 'The capital of France is Lyon.' });
    expect(near.passed).toBe(false);
    expect(await grade(DEFAULT_GRADER, { item, output: item.reference })).toEqual({ score: 1 });
  });

  it('asks the judge with the templates filled in and reads its score in the range', async () => {
    const [grader] = parseGraders(judge);
    const asked: unknown[] = [];
    const ask = async (model: string, messages: unknown) => {
      asked.push([model, messages]);
      return '{"result": 8, "steps": []}';
    };
    expect(await grade(grader, { item, output: 'Paris', ask })).toEqual({ score: 0.8, raw: 8, passed: true });
    expect(asked).toEqual([
      [
        'gpt-4.1-mini',
        [
          { role: 'system', content: 'Grade the answer against the reference.' },
          { role: 'user', content: 'Answer: Paris\nReference: The capital of France is Paris.' },
          { role: 'system', content: 'Reply with the score alone: one number from 0 to 10.' },
        ],
      ],
    ]);
    expect(judgeMessages(grader as never, item, 'x')).toHaveLength(3);
  });

  it("records a judge's reply without a score as the grader's error, scored 0", async () => {
    const [grader] = parseGraders(judge);
    expect(await grade(grader, { item, output: 'Paris', ask: async () => 'I would rather not.' })).toEqual({
      score: 0,
      error: 'the judge replied without a score',
    });
    expect(await grade(grader, { item, output: 'Paris', ask: async () => '11' })).toMatchObject({
      score: 0,
      error: expect.stringMatching(/outside the range/),
    });
    expect(readScore('Score: 6.5/10', [0, 10])).toBe(6.5);
  });

  it('combines graders with calculate_output, on their own figures, held to 0..1', async () => {
    const [grader] = parseGraders({
      type: 'multi',
      name: 'combined',
      graders: {
        judge,
        exact: {
          type: 'string_check',
          input: '{{sample.output_text}}',
          reference: 'Paris',
          operation: 'like',
        },
      },
      calculate_output: 'judge / 10 * 0.5 + exact * 0.5',
    });
    expect(await grade(grader, { item, output: 'Paris', ask: async () => '6' })).toEqual({
      score: 0.8,
      raw: 0.8,
    });
    const [over] = parseGraders({ ...grader, calculate_output: 'judge + exact' });
    expect(await grade(over, { item, output: 'Paris', ask: async () => '6' })).toEqual({ score: 1, raw: 7 });
  });
});
