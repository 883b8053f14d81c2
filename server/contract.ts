// The OpenAPI contract as an executable check: routing table, request validation (JSON and
// multipart) and response validation. Schemas are compiled once per process and shared by every
// server instance, because compiling the spec three times costs far more than a test does.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ajv2020 from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
import { ApiError } from './errors.ts';

// Both packages are CommonJS; under Node's ESM interop their export sits on `default`.
const Ajv2020 = ajv2020.default;
const addFormats = ajvFormats.default;

const DEFAULT_SPEC_PATH = fileURLToPath(
  new URL('../contract/openai-fine-tuning.normalized.openapi.json', import.meta.url),
);

type Json = Record<string, unknown>;

export interface Operation {
  id: string;
  method: string;
  template: string;
  segments: string[];
  bodyType: 'application/json' | 'multipart/form-data' | null;
}

export interface RouteMatch {
  operation: Operation;
  params: Record<string, string>;
}

/** A request the contract rejects: what to answer, and what to record as a violation. */
export interface RequestProblem {
  error: ApiError;
  violation: string;
}

/** A multipart body as parsed: text fields by name, and the names of the file parts. */
export interface MultipartShape {
  fields: Record<string, string>;
  files: string[];
}

// Places where the spec contradicts itself or the API's documented behaviour. Each is patched into
// the compiled copy only, so the stand-in can answer what the real API answers without every such
// answer counting as drift.
const SPEC_GAPS: Array<{ why: string; apply: (schemas: Json) => void }> = [
  {
    why: "the pause endpoint's own example answers status 'paused', which FineTuningJob.status lacks",
    apply: (s) => enumOf(s, 'FineTuningJob', 'status').push('paused'),
  },
  {
    why: "CreateFileRequest accepts purpose 'evals', which OpenAIFile.purpose cannot echo back",
    apply: (s) => enumOf(s, 'OpenAIFile', 'purpose').push('evals'),
  },
  {
    why: 'ListFilesResponse requires first_id/last_id strings, which an empty list cannot have (the API answers null)',
    apply: (s) => {
      const props = (s.ListFilesResponse as Json).properties as Json;
      for (const key of ['first_id', 'last_id'])
        props[key] = { anyOf: [{ type: 'string' }, { type: 'null' }] };
    },
  },
];

function enumOf(schemas: Json, schema: string, property: string): string[] {
  return (((schemas[schema] as Json).properties as Json)[property] as Json).enum as string[];
}

export class Contract {
  readonly operations: Operation[];
  private readonly jsonRequest = new Map<string, ValidateFunction>();
  private readonly multipartRequest = new Map<string, ValidateFunction>();
  private readonly response = new Map<string, ValidateFunction>();
  private readonly errorResponse: ValidateFunction;

  constructor(spec: Json) {
    const patched = structuredClone(spec);
    for (const gap of SPEC_GAPS) gap.apply((patched.components as Json).schemas as Json);
    // Responses are checked against a copy whose objects are closed: the spec leaves most of them
    // open, but a field the spec does not name is drift in a stand-in whether or not it is legal.
    const closed = structuredClone(patched);
    closeObjects(closed.components);

    const requests = newAjv({ allErrors: false }, patched);
    const multipart = newAjv({ allErrors: false, coerceTypes: true }, patched);
    const responses = newAjv({ allErrors: true }, closed);

    this.operations = [];
    for (const [template, item] of Object.entries(spec.paths as Json)) {
      for (const [method, raw] of Object.entries(item as Json)) {
        const op = raw as Json;
        const content = ((op.requestBody as Json | undefined)?.content ?? {}) as Json;
        const bodyType =
          'application/json' in content
            ? 'application/json'
            : 'multipart/form-data' in content
              ? 'multipart/form-data'
              : null;
        const operation: Operation = {
          id: op.operationId as string,
          method: method.toUpperCase(),
          template,
          segments: template.split('/').filter(Boolean),
          bodyType,
        };
        this.operations.push(operation);
        const base = `#/paths/${pointer(template)}/${method}`;
        if (bodyType === 'application/json') {
          this.jsonRequest.set(
            operation.id,
            requests.compile({ $ref: `spec${base}/requestBody/content/application~1json/schema` }),
          );
        } else if (bodyType === 'multipart/form-data') {
          this.multipartRequest.set(
            operation.id,
            multipart.compile({ $ref: `spec${base}/requestBody/content/multipart~1form-data/schema` }),
          );
        }
        this.response.set(
          operation.id,
          responses.compile({ $ref: `spec${base}/responses/200/content/application~1json/schema` }),
        );
      }
    }
    this.errorResponse = responses.compile({ $ref: 'spec#/components/schemas/ErrorResponse' });
  }

  /** Finds the operation for a path under /v1; `null` when no template has that shape. */
  match(method: string, path: string): RouteMatch | null {
    const parts = path.split('/').filter(Boolean);
    for (const operation of this.operations) {
      if (operation.method !== method || operation.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      const fits = operation.segments.every((segment, i) => {
        if (segment.startsWith('{')) {
          params[segment.slice(1, -1)] = decodeURIComponent(parts[i]);
          return true;
        }
        return segment === parts[i];
      });
      if (fits) return { operation, params };
    }
    return null;
  }

  checkJsonBody(operation: Operation, body: unknown): RequestProblem | null {
    const validate = this.jsonRequest.get(operation.id);
    if (!validate || validate(body)) return null;
    return problem(operation, validate.errors ?? []);
  }

  checkMultipartBody(operation: Operation, shape: MultipartShape): RequestProblem | null {
    const validate = this.multipartRequest.get(operation.id);
    if (!validate) return null;
    const body: Json = {};
    for (const [name, value] of Object.entries(shape.fields)) setBracketed(body, name, value);
    // File parts carry no value the schema can check beyond their presence.
    for (const name of shape.files) body[name] = '<file>';
    if (validate(body)) return null;
    return problem(operation, validate.errors ?? []);
  }

  /** Describes how a JSON response departs from the spec, or `null` when it conforms. */
  checkResponse(operation: Operation, status: number, body: unknown): string | null {
    const validate = status === 200 ? this.response.get(operation.id) : this.errorResponse;
    if (!validate || validate(body)) return null;
    return `${operation.method} ${operation.template} response ${status}: ${formatErrors(validate.errors ?? [])}`;
  }
}

const compiled = new Map<string, Contract>();

/** The contract for a spec file, compiled on first use and reused by every later server. */
export function loadContract(specPath: string = DEFAULT_SPEC_PATH): Contract {
  let contract = compiled.get(specPath);
  if (!contract) {
    contract = new Contract(JSON.parse(readFileSync(specPath, 'utf8')) as Json);
    compiled.set(specPath, contract);
  }
  return contract;
}

function newAjv(
  options: { allErrors: boolean; coerceTypes?: boolean },
  spec: Json,
): InstanceType<typeof Ajv2020> {
  // strict:false because the spec carries OpenAPI-only keywords (x-oaiMeta, example, deprecated).
  const ajv = new Ajv2020({ strict: false, verbose: true, ...options });
  addFormats(ajv);
  for (const format of ['unixtime', 'binary', 'int64']) ajv.addFormat(format, true);
  ajv.addSchema(spec, 'spec');
  return ajv;
}

function closeObjects(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) closeObjects(item);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const schema = node as Json;
  if (schema.properties && !('additionalProperties' in schema) && !('unevaluatedProperties' in schema)) {
    schema.unevaluatedProperties = false;
  }
  for (const [key, value] of Object.entries(schema)) {
    if (!key.startsWith('x-') && key !== 'example') closeObjects(value);
  }
}

function pointer(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}

function setBracketed(target: Json, name: string, value: string): void {
  const keys = name.replaceAll(']', '').split('[');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Json;
  }
  node[keys[keys.length - 1]] = value;
}

function formatErrors(errors: ErrorObject[]): string {
  return errors.map((e) => `${e.instancePath || '(root)'} ${e.message ?? e.keyword}${detail(e)}`).join('; ');
}

function detail(e: ErrorObject): string {
  const params = e.params as Json;
  if (e.keyword === 'additionalProperties' || e.keyword === 'unevaluatedProperties') {
    return ` (${String(params.additionalProperty ?? params.unevaluatedProperty)})`;
  }
  if (e.keyword === 'enum') return ` (${JSON.stringify(params.allowedValues)})`;
  return '';
}

// Ajv reports every branch of a oneOf that failed; the deepest error that is not about a whole
// branch is the one a person can act on, as the real API's single message is.
const PREFERENCE = [
  'required',
  'additionalProperties',
  'maximum',
  'minimum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'maxLength',
  'minLength',
  'maxItems',
  'minItems',
  'enum',
  'type',
];

function problem(operation: Operation, errors: ErrorObject[]): RequestProblem {
  const candidates = errors.filter((e) => PREFERENCE.includes(e.keyword));
  const deepest = Math.max(0, ...candidates.map((e) => e.instancePath.length));
  const best =
    candidates
      .filter((e) => e.instancePath.length === deepest)
      .sort((a, b) => PREFERENCE.indexOf(a.keyword) - PREFERENCE.indexOf(b.keyword))[0] ?? errors[0];
  return {
    error: toApiError(best),
    violation: `${operation.method} ${operation.template} request: ${formatErrors(errors)}`,
  };
}

// Messages and codes follow the wording the real API uses for malformed parameters.
function toApiError(e: ErrorObject | undefined): ApiError {
  if (!e) return new ApiError(400, 'Invalid request body.');
  const params = e.params as Json;
  const at = paramName(e.instancePath);
  const join = (name: string) => (at ? `${at}.${name}` : name);
  switch (e.keyword) {
    case 'required': {
      const name = join(String(params.missingProperty));
      return new ApiError(400, `Missing required parameter: '${name}'.`, {
        param: name,
        code: 'missing_required_parameter',
      });
    }
    case 'additionalProperties': {
      const name = join(String(params.additionalProperty));
      return new ApiError(400, `Unrecognized request argument supplied: ${name}`, {
        param: name,
        code: 'unknown_parameter',
      });
    }
    case 'type':
      return new ApiError(
        400,
        `Invalid type for '${at}': expected ${String(params.type)}, but got ${describe(e.data)} instead.`,
        {
          param: at,
          code: 'invalid_type',
        },
      );
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map((v) => `'${String(v)}'`).join(', ');
      return new ApiError(400, `Invalid value: '${String(e.data)}'. Supported values are: ${allowed}.`, {
        param: at,
        code: 'invalid_value',
      });
    }
    default:
      return new ApiError(400, `Invalid '${at}': ${e.message ?? 'value out of range'}.`, {
        param: at,
        code: rangeCode(e),
      });
  }
}

function rangeCode(e: ErrorObject): string {
  const kind =
    typeof e.data === 'string'
      ? 'string'
      : Number.isInteger(e.data)
        ? 'integer'
        : Array.isArray(e.data)
          ? 'array'
          : 'decimal';
  if (e.keyword === 'maxLength' || e.keyword === 'maxItems') return `${kind}_above_max_length`;
  if (e.keyword === 'minLength' || e.keyword === 'minItems') return `${kind}_below_min_length`;
  if (e.keyword.startsWith('max') || e.keyword === 'exclusiveMaximum') return `${kind}_above_max_value`;
  return `${kind}_below_min_value`;
}

function paramName(instancePath: string): string {
  return instancePath
    .split('/')
    .filter(Boolean)
    .map((part, i) => (/^\d+$/.test(part) ? `[${part}]` : i === 0 ? part : `.${part}`))
    .join('')
    .replaceAll('.[', '[');
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'boolean') return 'a boolean';
  return Number.isInteger(value) ? 'an integer' : 'a decimal';
}
