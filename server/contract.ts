// The OpenAPI contract as an executable check: routing table, request validation (JSON and
// multipart) and response validation. Each profile's contract is built once per process and shared
// by every server instance, and each operation's schemas are compiled on first use, because
// compiling a whole spec costs far more than a test does (Microsoft's also describes evals).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ajv2020 from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
import { parse as parseYaml } from 'yaml';
import { ApiError } from './errors.ts';
import type { Profile } from './profile.ts';

// Both packages are CommonJS; under Node's ESM interop their export sits on `default`.
const Ajv2020 = ajv2020.default;
const addFormats = ajvFormats.default;

const contractFile = (name: string) => fileURLToPath(new URL(`../contract/${name}`, import.meta.url));

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

/**
 * An operation the spec does not describe, checked against a schema of its own: routed and logged
 * as the spec's operations are; its errors are checked against the spec's error schema.
 */
export interface HandOperation extends Operation {
  checkRequest(body: unknown): RequestProblem | null;
  /** Describes how a successful answer departs from the schema, or `null`. */
  checkResponse(status: number, body: unknown): string | null;
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

type SpecGap = { why: string; apply: (schemas: Json) => void };

// Places where the spec contradicts itself or the API's documented behaviour. Each is patched into
// the compiled copy only, so the stand-in can answer what the real API answers without every such
// answer counting as drift.
const OPENAI_GAPS: SpecGap[] = [
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
    apply: (s) => nullableIds(s, 'ListFilesResponse'),
  },
];

// Providers that copy OpenAI's API without its details: files without a status, and LoRA settings
// OpenAI's hyperparameters do not have.
const LORA_HYPERPARAMETERS: Json = {
  lora_r: { type: 'integer', minimum: 1 },
  lora_alpha: { type: 'integer', minimum: 1 },
  lora_dropout: { type: 'number', minimum: 0, maximum: 1 },
  packing: { type: 'boolean' },
};
const COMPATIBLE_GAPS: SpecGap[] = [
  ...OPENAI_GAPS,
  {
    why: 'some providers answer a file with status null',
    apply: (s) => {
      const status = ((s.OpenAIFile as Json).properties as Json).status as Json;
      status.type = ['string', 'null'];
      (status.enum as unknown[]).push(null);
    },
  },
  {
    why: 'providers that train LoRA adapters take and echo lora_r, lora_alpha, lora_dropout and packing',
    apply: (s) => {
      const legacy = ((s.CreateFineTuningJobRequest as Json).properties as Json).hyperparameters as Json;
      for (const target of [
        s.FineTuneSupervisedHyperparameters as Json,
        s.FineTuneDPOHyperparameters as Json,
        legacy,
      ])
        Object.assign(target.properties as Json, structuredClone(LORA_HYPERPARAMETERS));
    },
  },
];

const AZURE_GAPS: SpecGap[] = [
  {
    why: 'the pause endpoint answers a paused job, and OpenAI.FineTuningJob.status lacks paused',
    apply: (s) => enumOf(s, 'OpenAI.FineTuningJob', 'status').push('paused'),
  },
  {
    why: "the upload schema requires expires_after, which Microsoft's own examples omit",
    apply: (s) => {
      const upload = s.AzureCreateFileRequestMultiPart as Json;
      upload.required = (upload.required as string[]).filter((name) => name !== 'expires_after');
    },
  },
  {
    why: 'AzureListFilesResponse requires first_id/last_id strings, which an empty list cannot have',
    apply: (s) => nullableIds(s, 'AzureListFilesResponse'),
  },
];

/** The spec each profile routes and checks by, and the schema its error answers follow. */
const SOURCES: Record<Profile, { path: string; errorSchema: string; gaps: SpecGap[] }> = {
  openai: {
    path: contractFile('openai-fine-tuning.normalized.openapi.json'),
    errorSchema: 'ErrorResponse',
    gaps: OPENAI_GAPS,
  },
  compatible: {
    path: contractFile('openai-fine-tuning.normalized.openapi.json'),
    errorSchema: 'ErrorResponse',
    gaps: COMPATIBLE_GAPS,
  },
  azure: { path: contractFile('azure-openai-v1.yaml'), errorSchema: 'AzureErrorResponse', gaps: AZURE_GAPS },
};

function nullableIds(schemas: Json, schema: string): void {
  const props = (schemas[schema] as Json).properties as Json;
  for (const key of ['first_id', 'last_id']) props[key] = { anyOf: [{ type: 'string' }, { type: 'null' }] };
}

function enumOf(schemas: Json, schema: string, property: string): string[] {
  return (((schemas[schema] as Json).properties as Json)[property] as Json).enum as string[];
}

export class Contract {
  readonly operations: Operation[];
  private readonly requests: InstanceType<typeof Ajv2020>;
  private readonly multipart: InstanceType<typeof Ajv2020>;
  private readonly responses: InstanceType<typeof Ajv2020>;
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly errorSchema: string;
  /** Where the JSON schema of each answer the spec describes sits, by `operationId status`. */
  private readonly jsonResponses = new Map<string, string>();

  constructor(spec: Json, errorSchema: string, gaps: SpecGap[]) {
    const patched = structuredClone(spec);
    if (String(patched.openapi).startsWith('3.0.')) fromOpenApi30(patched);
    for (const gap of gaps) gap.apply((patched.components as Json).schemas as Json);
    // Responses are checked against a copy whose objects are closed: the spec leaves most of them
    // open, but a field the spec does not name is drift in a stand-in whether or not it is legal.
    const closed = structuredClone(patched);
    closeObjects(closed.components);

    this.requests = newAjv({ allErrors: false }, patched);
    this.multipart = newAjv({ allErrors: false, coerceTypes: true }, patched);
    this.responses = newAjv({ allErrors: true }, closed);
    this.errorSchema = errorSchema;

    this.operations = [];
    for (const [template, item] of Object.entries(patched.paths as Json)) {
      for (const [method, raw] of Object.entries(item as Json)) {
        if (!HTTP_METHODS.has(method)) continue;
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
        for (const [status, response] of Object.entries(op.responses as Json)) {
          const schema = responseSchemaRef(patched, template, method, status, response as Json);
          if (schema) this.jsonResponses.set(`${operation.id} ${status}`, schema);
        }
      }
    }
  }

  /** Finds the operation for a path under the base path; `null` when no template has that shape. */
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
    if (operation.bodyType !== 'application/json') return null;
    const validate = this.validator(`request ${operation.id}`, this.requests, () =>
      bodyRef(operation, 'application~1json'),
    );
    if (!validate || validate(body)) return null;
    return problem(operation, validate.errors ?? []);
  }

  checkMultipartBody(operation: Operation, shape: MultipartShape): RequestProblem | null {
    if (operation.bodyType !== 'multipart/form-data') return null;
    const validate = this.validator(`multipart ${operation.id}`, this.multipart, () =>
      bodyRef(operation, 'multipart~1form-data'),
    );
    if (!validate) return null;
    const body: Json = {};
    for (const [name, value] of Object.entries(shape.fields)) setBracketed(body, name, value);
    // File parts carry no value the schema can check beyond their presence.
    for (const name of shape.files) body[name] = '<file>';
    if (validate(body)) return null;
    return problem(operation, validate.errors ?? []);
  }

  /**
   * Describes how a JSON response departs from the spec, or `null` when it conforms. An answer the
   * operation describes is checked against that description; any other error against the spec's
   * error schema.
   */
  checkResponse(operation: Operation, status: number, body: unknown): string | null {
    const key = `${operation.id} ${status}`;
    const described = this.jsonResponses.get(key);
    const validate = described
      ? this.validator(`response ${key}`, this.responses, () => described)
      : status < 300
        ? null
        : this.validator(
            'error',
            this.responses,
            () => `spec#/components/schemas/${pointer(this.errorSchema)}`,
          );
    if (!validate || validate(body)) return null;
    return `${operation.method} ${operation.template} response ${status}: ${formatErrors(validate.errors ?? [])}`;
  }

  private validator(key: string, ajv: InstanceType<typeof Ajv2020>, ref: () => string): ValidateFunction {
    let validate = this.validators.get(key);
    if (validate === undefined) {
      validate = ajv.compile({ $ref: ref() });
      this.validators.set(key, validate);
    }
    return validate;
  }
}

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options']);

/**
 * The Ajv reference to the JSON schema of one of an operation's answers, or `null` when that answer
 * has no JSON body. An answer shared in `#/components/responses` (as GitHub's errors are) is looked
 * up there: Ajv follows a JSON pointer through the document, not through a `$ref` on its way.
 */
function responseSchemaRef(
  spec: Json,
  template: string,
  method: string,
  status: string,
  response: Json,
): string | null {
  if (!/^\d{3}$/.test(status)) return null;
  const shared = typeof response.$ref === 'string' ? response.$ref : null;
  const target = shared
    ? (((spec.components as Json).responses as Json)[shared.split('/').pop()!] as Json | undefined)
    : response;
  const content = target?.content as Json | undefined;
  if (!content || !('application/json' in content)) return null;
  const at = shared ? shared.slice(1) : `/paths/${pointer(template)}/${method}/responses/${status}`;
  return `spec#${at}/content/application~1json/schema`;
}

function bodyRef(operation: Operation, mediaType: string): string {
  return `spec#/paths/${pointer(operation.template)}/${operation.method.toLowerCase()}/requestBody/content/${mediaType}/schema`;
}

const compiled = new Map<string, Contract>();

/**
 * The contract of a profile (default `openai`), from its spec in contract/ or from `specPath`,
 * built on first use and reused by every later server.
 */
export function loadContract(specPath?: string, profile: Profile = 'openai'): Contract {
  const source = SOURCES[profile];
  const path = specPath ?? source.path;
  const key = `${profile} ${path}`;
  let contract = compiled.get(key);
  if (!contract) {
    const text = readFileSync(path, 'utf8');
    const spec = (/\.ya?ml$/i.test(path) ? parseYaml(text) : JSON.parse(text)) as Json;
    contract = new Contract(spec, source.errorSchema, source.gaps);
    compiled.set(key, contract);
  }
  return contract;
}

/**
 * Rewrites OpenAPI 3.0 schema dialect into the JSON Schema 2020-12 that Ajv reads: `nullable`
 * becomes a `null` type (or a `null` branch), and a discriminated base becomes the union of the
 * schemas it maps to, each with the base's properties merged in, so that closing objects for the
 * response check does not make the base refuse its subtypes' fields.
 */
function fromOpenApi30(spec: Json): void {
  const schemas = (spec.components as Json).schemas as Json;
  for (const [name, raw] of Object.entries(schemas)) {
    const base = raw as Json;
    const mapping = (base.discriminator as Json | undefined)?.mapping as Record<string, string> | undefined;
    if (!mapping) continue;
    const ownRef = `#/components/schemas/${name}`;
    const { discriminator: _, ...shared } = base;
    for (const target of Object.values(mapping)) {
      const sub = schemas[target.split('/').pop()!] as Json | undefined;
      const allOf = sub?.allOf as Json[] | undefined;
      if (!sub || !allOf?.some((part) => part.$ref === ownRef)) continue;
      sub.allOf = allOf.filter((part) => part.$ref !== ownRef);
      if ((sub.allOf as Json[]).length === 0) delete sub.allOf;
      sub.properties = { ...(shared.properties as Json), ...(sub.properties as Json) };
      sub.required = [
        ...new Set([...((shared.required as string[]) ?? []), ...((sub.required as string[]) ?? [])]),
      ];
    }
    schemas[name] = { anyOf: Object.values(mapping).map(($ref) => ({ $ref })) };
  }
  convertNullable(spec);
}

function convertNullable(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) convertNullable(item);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const schema = node as Json;
  for (const [key, value] of Object.entries(schema)) {
    if (!key.startsWith('x-') && key !== 'example' && key !== 'examples') convertNullable(value);
  }
  if (schema.nullable !== true) return;
  delete schema.nullable;
  if (typeof schema.type === 'string' && !('anyOf' in schema || 'oneOf' in schema || 'allOf' in schema)) {
    schema.type = [schema.type, 'null'];
    if (Array.isArray(schema.enum)) schema.enum.push(null);
    return;
  }
  const { description, default: fallback, ...rest } = schema;
  for (const key of Object.keys(schema)) delete schema[key];
  Object.assign(schema, { anyOf: [rest, { type: 'null' }] });
  if (description !== undefined) schema.description = description;
  if (fallback !== undefined) schema.default = fallback;
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

export function formatErrors(errors: ErrorObject[]): string {
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

export function problem(operation: Operation, errors: ErrorObject[]): RequestProblem {
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
