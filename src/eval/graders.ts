import type {
  MultiGrader,
  ScoreModelGrader,
  StringCheckGrader,
  TextSimilarityGrader,
} from 'openai/resources/graders/grader-models';
import { compileFormula } from './formula.js';
import { METRICS, REFUSED_METRICS, type Metric } from './similarity.js';
import { templateVariables } from './template.js';

// OpenAI's grader format, read from a value the caller parsed from YAML or JSON. The SDK's types
// are the API's; what the SDK leaves out is added here: pass_threshold (which OpenAI's evals take
// on these graders) and a multi grader's graders as the map of names its formula refers to (the
// SDK types that field as a single grader).

type StringCheck = StringCheckGrader;
type TextSimilarity = TextSimilarityGrader & { pass_threshold?: number };
export type ScoreModel = ScoreModelGrader & { pass_threshold?: number };
export type Multi = Omit<MultiGrader, 'graders'> & { graders: Record<string, Grader> };
export type Grader = StringCheck | TextSimilarity | ScoreModel | Multi;

/** With no `graders`: the answer's fuzzy match against the example's own final answer. */
export const DEFAULT_GRADER: TextSimilarity = {
  type: 'text_similarity',
  name: 'fuzzy_match',
  input: '{{sample.output_text}}',
  reference: '{{item.reference}}',
  evaluation_metric: 'fuzzy_match',
};

type Json = Record<string, unknown>;
const isMapping = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const show = (value: unknown) => (value === undefined ? 'nothing' : JSON.stringify(value));

const FIELDS: Record<Grader['type'], { required: string[]; optional: string[] }> = {
  string_check: { required: ['input', 'reference', 'operation'], optional: [] },
  text_similarity: { required: ['input', 'reference', 'evaluation_metric'], optional: ['pass_threshold'] },
  score_model: { required: ['model', 'input'], optional: ['range', 'pass_threshold', 'sampling_params'] },
  multi: { required: ['graders', 'calculate_output'], optional: [] },
};
const REFUSED_TYPES: Record<string, string> = {
  python: 'python graders run code, which the action does not do',
  label_model: 'label_model graders are not computed by the action; a score_model grader can judge instead',
};
const OPERATIONS = ['eq', 'ne', 'like', 'ilike'];
const ROLES = ['user', 'assistant', 'system', 'developer'];
const SAMPLING = ['temperature', 'top_p', 'seed', 'max_completions_tokens', 'reasoning_effort'];

/**
 * Reads a grader object or a list of them in OpenAI's grader format. Throws a plain Error saying
 * what is wrong and where (`graders[1].evaluation_metric ...`); the caller names the input.
 */
export function parseGraders(value: unknown): Grader[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) throw new Error('is an empty list; give at least one grader');
  const graders = list.map((grader, i) =>
    parseGrader(grader, Array.isArray(value) ? `graders[${i}]` : 'the grader'),
  );
  const seen = new Set<string>();
  for (const grader of graders) {
    if (seen.has(grader.name))
      throw new Error(
        `has two graders named '${grader.name}'; give each its own name (the report keys scores by name)`,
      );
    seen.add(grader.name);
  }
  return graders;
}

function parseGrader(value: unknown, at: string): Grader {
  if (!isMapping(value)) throw new Error(`${at} must be a grader mapping, got ${show(value)}`);
  const type = value['type'];
  if (typeof type === 'string' && REFUSED_TYPES[type]) throw new Error(`${at}: ${REFUSED_TYPES[type]}`);
  if (typeof type !== 'string' || !Object.hasOwn(FIELDS, type)) {
    throw new Error(`${at} has type ${show(type)}; expected one of ${Object.keys(FIELDS).join(', ')}`);
  }
  const fields = FIELDS[type as Grader['type']];
  const here = `${at} (a ${type} grader)`;
  for (const key of Object.keys(value)) {
    if (key !== 'type' && key !== 'name' && !fields.required.includes(key) && !fields.optional.includes(key))
      throw new Error(
        `${here} has an unknown field '${key}'; it takes ${[...fields.required, ...fields.optional, 'name'].join(', ')}`,
      );
  }
  const missing = fields.required.filter((key) => value[key] === undefined);
  if (missing.length > 0) throw new Error(`${here} lacks ${missing.join(', ')}`);
  const name = value['name'] ?? type;
  if (typeof name !== 'string' || name.trim() === '')
    throw new Error(`${here}: name must be a non-empty string`);
  const grader = { ...value, name } as Grader;
  switch (grader.type) {
    case 'string_check':
      template(grader.input, `${here}: input`);
      template(grader.reference, `${here}: reference`);
      if (!OPERATIONS.includes(grader.operation))
        throw new Error(
          `${here}: operation must be one of ${OPERATIONS.join(', ')}, got ${show(grader.operation)}`,
        );
      break;
    case 'text_similarity':
      template(grader.input, `${here}: input`);
      template(grader.reference, `${here}: reference`);
      checkMetric(grader.evaluation_metric, here);
      threshold(grader.pass_threshold, here);
      break;
    case 'score_model':
      checkScoreModel(grader, here);
      break;
    case 'multi':
      return parseMulti(grader, here);
  }
  return grader;
}

function template(value: unknown, at: string): void {
  if (typeof value !== 'string')
    throw new Error(`${at} must be a string (it may hold templates), got ${show(value)}`);
  try {
    templateVariables(value);
  } catch (error) {
    throw new Error(`${at}: ${(error as Error).message}`);
  }
}

function checkMetric(metric: unknown, at: string): void {
  if (typeof metric === 'string' && REFUSED_METRICS[metric as Metric])
    throw new Error(`${at}: evaluation_metric ${REFUSED_METRICS[metric as Metric]}`);
  if (typeof metric !== 'string' || !Object.hasOwn(METRICS, metric)) {
    throw new Error(
      `${at}: evaluation_metric must be one of ${Object.keys(METRICS).join(', ')}, got ${show(metric)}`,
    );
  }
}

function threshold(value: unknown, at: string): void {
  if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value)))
    throw new Error(`${at}: pass_threshold must be a number, got ${show(value)}`);
}

function checkScoreModel(grader: ScoreModel, at: string): void {
  if (typeof grader.model !== 'string' || grader.model.trim() === '')
    throw new Error(`${at}: model must be a model name, got ${show(grader.model)}`);
  if (!Array.isArray(grader.input) || grader.input.length === 0)
    throw new Error(`${at}: input must be a non-empty list of messages`);
  grader.input.forEach((message: unknown, i) => {
    const where = `${at}: input[${i}]`;
    if (!isMapping(message)) throw new Error(`${where} must be a message mapping, got ${show(message)}`);
    if (!ROLES.includes(message['role'] as string))
      throw new Error(`${where}: role must be one of ${ROLES.join(', ')}, got ${show(message['role'])}`);
    if (message['type'] !== undefined && message['type'] !== 'message')
      throw new Error(`${where}: type must be message, got ${show(message['type'])}`);
    const content = message['content'];
    const parts = Array.isArray(content) ? content : [content];
    parts.forEach((part) => {
      if (typeof part === 'string') return template(part, `${where}.content`);
      if (isMapping(part) && (part['type'] === 'input_text' || part['type'] === 'output_text'))
        return template(part['text'], `${where}.content.text`);
      // Images and audio would need a judge that takes them, through a request built for each.
      throw new Error(
        `${where}.content must be text (a string, input_text or output_text), got ${show(part)}`,
      );
    });
  });
  if (grader.range !== undefined) {
    const [low, high] = Array.isArray(grader.range) ? grader.range : [];
    if (grader.range.length !== 2 || typeof low !== 'number' || typeof high !== 'number' || !(low < high))
      throw new Error(`${at}: range must be two numbers, lowest first, got ${show(grader.range)}`);
  }
  threshold(grader.pass_threshold, at);
  const params = grader.sampling_params;
  if (params !== undefined) {
    if (!isMapping(params)) throw new Error(`${at}: sampling_params must be a mapping, got ${show(params)}`);
    for (const key of Object.keys(params))
      if (!SAMPLING.includes(key))
        throw new Error(
          `${at}: sampling_params has an unknown key '${key}'; it takes ${SAMPLING.join(', ')}`,
        );
  }
}

function parseMulti(grader: Multi, at: string): Multi {
  if (!isMapping(grader.graders) || Object.keys(grader.graders).length === 0)
    throw new Error(`${at}: graders must be a mapping of names to graders, which calculate_output refers to`);
  const graders: Record<string, Grader> = {};
  for (const [key, inner] of Object.entries(grader.graders)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key))
      throw new Error(`${at}: the grader key '${key}' must be a name a formula can use (letters, digits, _)`);
    graders[key] = parseGrader(inner, `${at.replace(/ \(a multi grader\)$/, '')}.graders.${key}`);
  }
  if (typeof grader.calculate_output !== 'string')
    throw new Error(`${at}: calculate_output must be a formula, got ${show(grader.calculate_output)}`);
  try {
    compileFormula(grader.calculate_output, Object.keys(graders));
  } catch (error) {
    throw new Error(`${at}: ${(error as Error).message}`);
  }
  return { ...grader, graders };
}

/** Every template string a grader holds, nested graders' included. */
export function graderTemplates(grader: Grader): string[] {
  switch (grader.type) {
    case 'string_check':
    case 'text_similarity':
      return [grader.input, grader.reference];
    case 'score_model':
      return grader.input.flatMap((message) =>
        (Array.isArray(message.content) ? message.content : [message.content]).map((part) =>
          typeof part === 'string' ? part : 'text' in part ? part.text : '',
        ),
      );
    case 'multi':
      return Object.values(grader.graders).flatMap(graderTemplates);
  }
}

/** The score_model graders, also those inside a multi: each asks a judge. */
export function judges(graders: readonly Grader[]): ScoreModel[] {
  return graders.flatMap((grader) =>
    grader.type === 'score_model'
      ? [grader]
      : grader.type === 'multi'
        ? judges(Object.values(grader.graders))
        : [],
  );
}
