import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { JobCreateParams } from 'openai/resources/fine-tuning/jobs/jobs';
import {
  GRADER_REQUIRED,
  HYPERPARAMETER_RULES,
  type HyperparameterRule,
  type MethodType,
  type NumberRule,
} from '../facts/methods.js';
import { parseStructured } from './parse.js';
import { describeValue, isMapping } from './values.js';

type Hyperparameters = Record<string, string | number | boolean>;

/** The hyperparameters of `values` that the method's rules do not know. */
export function unknownHyperparameters(method: MethodType, values: Record<string, unknown>): string[] {
  // hasOwn: a key such as 'constructor' must not find Object's prototype.
  return Object.keys(values).filter((key) => !Object.hasOwn(HYPERPARAMETER_RULES[method], key));
}

/**
 * Checks a hyperparameters mapping against the method's rules; throws the problem in words. With
 * `ownKeys` (a compatible provider's own settings, such as a LoRA rank), a key the rules do not
 * know passes as given when it is a plain value.
 */
export function checkHyperparameters(
  method: MethodType,
  values: Record<string, unknown>,
  ownKeys = false,
): Hyperparameters {
  const rules = HYPERPARAMETER_RULES[method];
  const checked: Hyperparameters = {};
  for (const [key, raw] of Object.entries(values)) {
    const rule = Object.hasOwn(rules, key) ? rules[key] : undefined;
    if (!rule && ownKeys) {
      if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') {
        throw new Error(`key '${key}' must be a string, number or boolean, got ${describeValue(raw)}`);
      }
      checked[key] = raw;
      continue;
    }
    if (!rule) {
      throw new Error(
        `has unknown key '${key}' for method ${method}; allowed: ${Object.keys(rules).join(', ')}`,
      );
    }
    checked[key] = checkValue(key, rule, raw);
  }
  return checked;
}

function checkValue(key: string, rule: HyperparameterRule, raw: unknown): string | number {
  if (rule.kind === 'enum') {
    if (typeof raw === 'string' && rule.values.includes(raw)) return raw;
    throw new Error(`key '${key}' must be one of ${rule.values.join(', ')}, got ${describeValue(raw)}`);
  }
  if (raw === 'auto') return raw;
  // Workflow expressions often arrive quoted ("3"), so a plain decimal string counts as its number.
  const value = typeof raw === 'string' && /^\s*-?(\d+\.?\d*|\.\d+)\s*$/.test(raw) ? Number(raw) : raw;
  if (typeof value === 'number' && Number.isFinite(value) && inRange(value, rule)) return value;
  throw new Error(`key '${key}' must be auto or ${rangeText(rule)}, got ${describeValue(raw)}`);
}

function inRange(value: number, rule: NumberRule): boolean {
  if (rule.kind === 'integer' && !Number.isInteger(value)) return false;
  if (rule.exclusiveMin ? value <= rule.min : value < rule.min) return false;
  return rule.max === undefined || value <= rule.max;
}

function rangeText(rule: NumberRule): string {
  const noun = rule.kind === 'integer' ? 'a whole number' : 'a number';
  const low = rule.exclusiveMin ? `greater than ${rule.min}` : `at least ${rule.min}`;
  return rule.max === undefined ? `${noun} ${low}` : `${noun} ${low} and at most ${rule.max}`;
}

/** Checks the shape the API requires of a grader; the API itself judges the grader's content. */
export function checkGrader(value: unknown): Record<string, unknown> {
  if (!isMapping(value)) throw new Error(`must be a grader mapping, got ${describeValue(value)}`);
  const type = value['type'];
  const required =
    typeof type === 'string' && Object.hasOwn(GRADER_REQUIRED, type) ? GRADER_REQUIRED[type] : undefined;
  if (!required) {
    throw new Error(
      `has type ${describeValue(type)}; expected one of ${Object.keys(GRADER_REQUIRED).join(', ')}`,
    );
  }
  const missing = required.filter((field) => !(field in value));
  if (missing.length > 0) throw new Error(`(a ${type} grader) lacks ${missing.join(', ')}`);
  return value;
}

/** The `method` object of the create request, in the SDK's own type. */
export function buildMethod(
  type: MethodType,
  hyperparameters: Hyperparameters | undefined,
  grader: Record<string, unknown> | undefined,
): JobCreateParams.Method {
  const settings = hyperparameters && Object.keys(hyperparameters).length > 0 ? { hyperparameters } : {};
  switch (type) {
    case 'supervised':
      return { type, supervised: settings };
    case 'dpo':
      return { type, dpo: settings };
    case 'reinforcement':
      // The grader's inner shape is the API's to judge; checkGrader has checked its type and required fields.
      return { type, reinforcement: { ...settings, grader: grader as never } };
  }
}

/** Whether the `grader` input names a file rather than writing the grader itself. */
export const isGraderPath = (text: string): boolean => /\.(json|ya?ml)$/i.test(text) && !/[\n{]/.test(text);

/**
 * A grader as the `grader` input gives it: the path of a .json/.yaml file in the workspace, or the
 * object itself written in YAML or JSON.
 */
export async function parseGrader(text: string, workspace: string): Promise<Record<string, unknown>> {
  if (isGraderPath(text)) {
    let content: string;
    try {
      content = readFileSync(path.resolve(workspace, text), 'utf8');
    } catch (error) {
      throw new Error(
        `names the file '${text}', which cannot be read (${(error as NodeJS.ErrnoException).code})`,
      );
    }
    return checkGrader(await parseStructured(content));
  }
  return checkGrader(await parseStructured(text));
}
