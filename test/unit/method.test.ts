import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { buildMethod, checkGrader, checkHyperparameters } from '../../src/inputs/method.js';
import {
  GRADER_REQUIRED,
  HYPERPARAMETER_RULES,
  METHOD_TYPES,
  type HyperparameterRule,
  type MethodType,
  type NumberRule,
} from '../../src/facts/methods.js';

// ---------------------------------------------------------------------------------------------
// The OpenAPI contract, read the way the API states it

type Schema = Record<string, any>;

const contract = JSON.parse(
  readFileSync(new URL('../../contract/openai-fine-tuning.normalized.openapi.json', import.meta.url), 'utf8'),
) as Schema;
const schemas = contract.components.schemas as Record<string, Schema>;

function deref(schema: Schema): Schema {
  const ref = schema.$ref as string | undefined;
  return ref ? schemas[ref.replace('#/components/schemas/', '')] : schema;
}

/** FineTuneMethod -> FineTune<X>Method -> FineTune<X>Hyperparameters, following the contract's own $refs. */
function hyperparametersSchema(method: MethodType): Schema {
  const methodSchema = deref(schemas.FineTuneMethod.properties[method]);
  return deref(methodSchema.properties.hyperparameters);
}

/** One contract property as the table's rule: an enum, or the numeric branch beside `auto`. */
function ruleFromContract(property: Schema): HyperparameterRule {
  if (!property.oneOf) return { kind: 'enum', values: property.enum };
  const numeric = property.oneOf.find(
    (branch: Schema) => branch.type === 'integer' || branch.type === 'number',
  );
  const others = property.oneOf.filter((branch: Schema) => branch !== numeric);
  // Every numeric hyperparameter also takes the string `auto`, which checkHyperparameters lets through.
  expect(others).toEqual([expect.objectContaining({ type: 'string', enum: ['auto'] })]);
  const rule: NumberRule = { kind: numeric.type, min: numeric.minimum };
  if (numeric.exclusiveMinimum !== undefined) {
    // The normalized file writes an exclusive bound as a number beside `minimum`: the same bound.
    expect(numeric.exclusiveMinimum).toBe(numeric.minimum);
    rule.exclusiveMin = true;
  }
  if (numeric.maximum !== undefined) rule.max = numeric.maximum;
  return rule;
}

// Ajv with the whole contract, so a built method object is checked against FineTuneMethod itself.
// strict:false for the OpenAPI-only keywords; formats (uri, ...) play no part in a method object.
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
ajv.addSchema(contract, 'contract');
const validateMethod = ajv.getSchema('contract#/components/schemas/FineTuneMethod')!;

function contractErrors(value: unknown): string[] {
  return validateMethod(value)
    ? []
    : (validateMethod.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

// ---------------------------------------------------------------------------------------------

describe('the tables agree with the contract', () => {
  it('METHOD_TYPES are the types FineTuneMethod allows', () => {
    expect([...METHOD_TYPES].sort()).toEqual([...schemas.FineTuneMethod.properties.type.enum].sort());
  });

  describe.each(METHOD_TYPES.map((method) => [method]))('HYPERPARAMETER_RULES.%s', (method) => {
    const properties = hyperparametersSchema(method).properties as Record<string, Schema>;

    it('has exactly the keys of the contract', () => {
      expect(Object.keys(HYPERPARAMETER_RULES[method]).sort()).toEqual(Object.keys(properties).sort());
    });

    it.each(Object.keys(properties).map((key) => [key]))(
      'states the kind and range of %s as the contract does',
      (key) => {
        expect(HYPERPARAMETER_RULES[method][key]).toEqual(ruleFromContract(properties[key]));
      },
    );
  });

  it('GRADER_REQUIRED holds, for each grader type the reinforcement method takes, its required fields', () => {
    const graders = (schemas.FineTuneReinforcementMethod.properties.grader.oneOf as Schema[]).map(deref);
    const fromContract = Object.fromEntries(
      graders.map((grader) => [grader.properties.type.enum[0], [...grader.required].sort()]),
    );
    const fromTable = Object.fromEntries(
      Object.entries(GRADER_REQUIRED).map(([type, required]) => [type, [...required].sort()]),
    );
    expect(fromTable).toEqual(fromContract);
  });
});

describe('checkHyperparameters', () => {
  describe('accepts', () => {
    it.each<[MethodType, Record<string, unknown>]>([
      ['supervised', { batch_size: 'auto', learning_rate_multiplier: 'auto', n_epochs: 'auto' }],
      ['supervised', { batch_size: 1, learning_rate_multiplier: 0.05, n_epochs: 50 }],
      ['supervised', { batch_size: 256, learning_rate_multiplier: 20, n_epochs: 1 }],
      ['dpo', { beta: 2, n_epochs: 3 }],
      ['dpo', { beta: 0.001 }],
      [
        'reinforcement',
        { compute_multiplier: 10, eval_interval: 1, eval_samples: 1000, reasoning_effort: 'high' },
      ],
      ['reinforcement', { compute_multiplier: 0.00002, reasoning_effort: 'default' }],
      ['supervised', {}],
    ])('%s %j unchanged', (method, values) => {
      expect(checkHyperparameters(method, values)).toEqual(values);
    });

    it('numeric strings, as workflow expressions produce them, as their numbers', () => {
      expect(checkHyperparameters('dpo', { n_epochs: '3', beta: '0.5', batch_size: ' 8 ' })).toEqual({
        n_epochs: 3,
        beta: 0.5,
        batch_size: 8,
      });
    });
  });

  describe('rejects an unknown key, naming it and listing the allowed ones', () => {
    it.each<[MethodType, string, string]>([
      ['supervised', 'beta', 'batch_size, learning_rate_multiplier, n_epochs'],
      ['supervised', 'epochs', 'batch_size, learning_rate_multiplier, n_epochs'],
      ['supervised', 'constructor', 'batch_size, learning_rate_multiplier, n_epochs'],
      ['supervised', 'toString', 'batch_size, learning_rate_multiplier, n_epochs'],
      ['dpo', 'reasoning_effort', 'batch_size, learning_rate_multiplier, n_epochs, beta'],
      [
        'reinforcement',
        'beta',
        'batch_size, learning_rate_multiplier, n_epochs, compute_multiplier, eval_interval, eval_samples, reasoning_effort',
      ],
    ])('%s: %s', (method, key, allowed) => {
      expect(() => checkHyperparameters(method, { [key]: 1 })).toThrow(
        `has unknown key '${key}' for method ${method}; allowed: ${allowed}`,
      );
    });
  });

  describe('rejects a value outside the API range, saying the range and the value', () => {
    it.each<[MethodType, string, unknown, string]>([
      ['supervised', 'batch_size', 0, 'a whole number at least 1 and at most 256, got number 0'],
      ['supervised', 'batch_size', 257, 'a whole number at least 1 and at most 256, got number 257'],
      ['supervised', 'n_epochs', 51, 'a whole number at least 1 and at most 50, got number 51'],
      ['supervised', 'n_epochs', '0', "a whole number at least 1 and at most 50, got '0'"],
      ['supervised', 'n_epochs', -1, 'a whole number at least 1 and at most 50, got number -1'],
      ['reinforcement', 'eval_samples', 0, 'a whole number at least 1, got number 0'],
      ['reinforcement', 'eval_interval', 0, 'a whole number at least 1, got number 0'],
      [
        'reinforcement',
        'compute_multiplier',
        10.5,
        'a number greater than 0.00001 and at most 10, got number 10.5',
      ],
    ])('%s %s: %j', (method, key, value, message) => {
      expect(() => checkHyperparameters(method, { [key]: value })).toThrow(
        `key '${key}' must be auto or ${message}`,
      );
    });
  });

  describe('rejects a fraction where the API wants a whole number', () => {
    it.each<[string, unknown]>([
      ['n_epochs', 2.5],
      ['n_epochs', '2.5'],
      ['batch_size', 1.1],
    ])('%s: %j', (key, value) => {
      expect(() => checkHyperparameters('supervised', { [key]: value })).toThrow(
        `key '${key}' must be auto or a whole number`,
      );
    });
  });

  describe('keeps exclusive lower bounds exclusive', () => {
    it('learning_rate_multiplier 0 is rejected', () => {
      expect(() => checkHyperparameters('supervised', { learning_rate_multiplier: 0 })).toThrow(
        "key 'learning_rate_multiplier' must be auto or a number greater than 0, got number 0",
      );
    });

    it('beta 0 is rejected, beta 2 accepted, beta 2.1 rejected', () => {
      const message = "key 'beta' must be auto or a number greater than 0 and at most 2";
      expect(() => checkHyperparameters('dpo', { beta: 0 })).toThrow(`${message}, got number 0`);
      expect(checkHyperparameters('dpo', { beta: 2 })).toEqual({ beta: 2 });
      expect(() => checkHyperparameters('dpo', { beta: 2.1 })).toThrow(`${message}, got number 2.1`);
    });

    it('compute_multiplier at its exclusive bound 0.00001 is rejected', () => {
      expect(() => checkHyperparameters('reinforcement', { compute_multiplier: 0.00001 })).toThrow(
        "key 'compute_multiplier' must be auto or a number greater than 0.00001",
      );
    });
  });

  describe('rejects a value of the wrong type', () => {
    it.each<[unknown, string]>([
      [true, 'got boolean true'],
      [null, 'got null'],
      [[3], 'got a list'],
      [{ value: 3 }, 'got a mapping'],
      ['', "got ''"],
      ['three', "got 'three'"],
      ['AUTO', "got 'AUTO'"],
      [Number.POSITIVE_INFINITY, 'got number Infinity'],
    ])('n_epochs: %j', (value, got) => {
      expect(() => checkHyperparameters('supervised', { n_epochs: value })).toThrow(
        `key 'n_epochs' must be auto or a whole number at least 1 and at most 50, ${got}`,
      );
    });
  });

  describe('reasoning_effort takes only its enum', () => {
    it.each(['default', 'low', 'medium', 'high'])('accepts %s', (value) => {
      expect(checkHyperparameters('reinforcement', { reasoning_effort: value })).toEqual({
        reasoning_effort: value,
      });
    });

    it.each<[unknown, string]>([
      ['extreme', "got 'extreme'"],
      ['auto', "got 'auto'"],
      ['High', "got 'High'"],
      [1, 'got number 1'],
    ])('rejects %j', (value, got) => {
      expect(() => checkHyperparameters('reinforcement', { reasoning_effort: value })).toThrow(
        `key 'reasoning_effort' must be one of default, low, medium, high, ${got}`,
      );
    });
  });
});

describe('checkGrader', () => {
  const GRADERS: Record<string, Record<string, unknown>> = {
    string_check: {
      type: 'string_check',
      name: 'exact',
      input: '{{sample.output_text}}',
      reference: '{{item.answer}}',
      operation: 'eq',
    },
    text_similarity: {
      type: 'text_similarity',
      name: 'close',
      input: '{{sample.output_text}}',
      reference: '{{item.answer}}',
      evaluation_metric: 'fuzzy_match',
    },
    python: { type: 'python', name: 'script', source: 'def grade(sample, item):\n    return 1.0\n' },
    score_model: {
      type: 'score_model',
      name: 'judge',
      model: 'gpt-4o-2024-08-06',
      input: [{ role: 'user', content: 'Score {{sample.output_text}}' }],
    },
    multi: {
      type: 'multi',
      name: 'both',
      graders: { a: { type: 'python', name: 'a', source: 'def grade(s, i): return 1' } },
      calculate_output: 'a',
    },
  };

  it('has an example for every grader type, so each is tried below', () => {
    expect(Object.keys(GRADERS).sort()).toEqual(Object.keys(GRADER_REQUIRED).sort());
  });

  it.each(Object.keys(GRADERS).map((type) => [type]))('accepts a complete %s grader as it is', (type) => {
    expect(checkGrader(GRADERS[type])).toEqual(GRADERS[type]);
  });

  it.each<[unknown, string]>([
    [['a'], 'got a list'],
    ['graders/grade.yaml', "got 'graders/grade.yaml'"],
    [null, 'got null'],
    [7, 'got number 7'],
  ])('rejects %j, which is not a mapping', (value, got) => {
    expect(() => checkGrader(value)).toThrow(`must be a grader mapping, ${got}`);
  });

  it.each<[Record<string, unknown>, string]>([
    [{ type: 'regex', name: 'r' }, "has type 'regex'"],
    [{ type: 3, name: 'r' }, 'has type number 3'],
    [{ name: 'no type' }, 'has type nothing; expected one of'],
    [{ type: 'constructor', name: 'r' }, "has type 'constructor'; expected one of"],
  ])('rejects %j, whose type is unknown, listing the known ones', (value, start) => {
    expect(() => checkGrader(value)).toThrow(start);
    expect(() => checkGrader(value)).toThrow(
      'expected one of string_check, text_similarity, python, score_model, multi',
    );
  });

  it.each<[string, string[], string]>([
    ['python', ['source'], '(a python grader) lacks source'],
    ['multi', ['graders', 'calculate_output'], '(a multi grader) lacks graders, calculate_output'],
    ['string_check', ['name', 'operation'], '(a string_check grader) lacks name, operation'],
    ['score_model', ['model'], '(a score_model grader) lacks model'],
  ])('rejects a %s grader without %j, naming each missing field', (type, drop, message) => {
    const grader = { ...GRADERS[type] };
    for (const field of drop) delete grader[field];
    expect(() => checkGrader(grader)).toThrow(message);
  });
});

describe('buildMethod', () => {
  const grader = { type: 'python', name: 'g', source: 'def grade(s, i): return 1' };

  it.each<
    [MethodType, Record<string, string | number> | undefined, Record<string, unknown> | undefined, object]
  >([
    ['supervised', undefined, undefined, { type: 'supervised', supervised: {} }],
    ['supervised', {}, undefined, { type: 'supervised', supervised: {} }],
    [
      'supervised',
      { n_epochs: 3, batch_size: 'auto' },
      undefined,
      { type: 'supervised', supervised: { hyperparameters: { n_epochs: 3, batch_size: 'auto' } } },
    ],
    ['dpo', undefined, undefined, { type: 'dpo', dpo: {} }],
    ['dpo', { beta: 0.1 }, undefined, { type: 'dpo', dpo: { hyperparameters: { beta: 0.1 } } }],
    ['reinforcement', undefined, grader, { type: 'reinforcement', reinforcement: { grader } }],
    [
      'reinforcement',
      { reasoning_effort: 'low', eval_samples: 4 },
      grader,
      {
        type: 'reinforcement',
        reinforcement: { grader, hyperparameters: { reasoning_effort: 'low', eval_samples: 4 } },
      },
    ],
  ])('%s with hyperparameters %j', (type, hyperparameters, graderValue, expected) => {
    const method = buildMethod(type, hyperparameters, graderValue);
    expect(method).toEqual(expected);
    expect(contractErrors(method)).toEqual([]);
  });

  it.each(METHOD_TYPES.map((type) => [type]))(
    'names for %s only fields of FineTuneMethod and of the method object it refers to',
    (type) => {
      const method: Record<string, unknown> = {
        ...buildMethod(type, { n_epochs: 2 }, type === 'reinforcement' ? grader : undefined),
      };
      const methodProperties = schemas.FineTuneMethod.properties as Record<string, Schema>;
      expect(Object.keys(method).sort()).toEqual(['type', type].sort());
      const inner = Object.keys(method[type] as object);
      expect(Object.keys(deref(methodProperties[type]).properties)).toEqual(expect.arrayContaining(inner));
    },
  );

  it('is checked against a contract validator that does reject a wrong method object', () => {
    // Without this, an always-true validator would let every shape above pass.
    expect(contractErrors({ type: 'reinforcement', reinforcement: {} })).toContain(
      "/reinforcement must have required property 'grader'",
    );
    expect(contractErrors({ type: 'sft' }).length).toBeGreaterThan(0);
  });
});
