// The contract of POST /chat/completions, which neither spec in contract/ describes (OpenAI's copy
// keeps the fine-tuning operations only; Microsoft's v1 spec has no chat path). Written by hand
// from the SDK's types: the request's fields are exactly `ChatCompletionCreateParamsBase`'s keys
// (the compiler holds the list to them), and the answer is a closed `ChatCompletion`, so that a
// field the SDK does not know is drift here as it is for the spec's operations.
import ajv2020 from 'ajv/dist/2020.js';
import type { ChatCompletionCreateParamsBase } from 'openai/resources/chat/completions';
import { formatErrors, problem, type HandOperation } from './contract.ts';

const Ajv2020 = ajv2020.default;
type Json = Record<string, unknown>;

const nullable = (schema: Json): Json => ({ anyOf: [schema, { type: 'null' }] });
const ANY: Json = {};

// Fields the stand-in reads are typed as the API documents them; the rest only need to be there.
const REQUEST_FIELDS: Record<keyof ChatCompletionCreateParamsBase, Json> = {
  messages: { type: 'array', minItems: 1, items: { $ref: '#/$defs/message' } },
  model: { type: 'string' },
  audio: ANY,
  frequency_penalty: nullable({ type: 'number', minimum: -2, maximum: 2 }),
  function_call: ANY,
  functions: { type: 'array' },
  logit_bias: nullable({ type: 'object' }),
  logprobs: nullable({ type: 'boolean' }),
  max_completion_tokens: nullable({ type: 'integer', minimum: 1 }),
  max_tokens: nullable({ type: 'integer', minimum: 1 }),
  metadata: nullable({ type: 'object', additionalProperties: { type: 'string' } }),
  modalities: nullable({ type: 'array', items: { type: 'string' } }),
  moderation: ANY,
  n: nullable({ type: 'integer', minimum: 1, maximum: 128 }),
  parallel_tool_calls: { type: 'boolean' },
  prediction: ANY,
  presence_penalty: nullable({ type: 'number', minimum: -2, maximum: 2 }),
  prompt_cache_key: { type: 'string' },
  prompt_cache_options: ANY,
  prompt_cache_retention: ANY,
  reasoning_effort: nullable({ type: 'string' }),
  response_format: { type: 'object' },
  safety_identifier: { type: 'string' },
  seed: nullable({ type: 'integer' }),
  service_tier: nullable({ type: 'string' }),
  stop: nullable({ anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' }, maxItems: 4 }] }),
  store: nullable({ type: 'boolean' }),
  stream: nullable({ type: 'boolean' }),
  stream_options: nullable({ type: 'object' }),
  temperature: nullable({ type: 'number', minimum: 0, maximum: 2 }),
  tool_choice: ANY,
  tools: { type: 'array' },
  top_logprobs: nullable({ type: 'integer', minimum: 0, maximum: 20 }),
  top_p: nullable({ type: 'number', minimum: 0, maximum: 1 }),
  user: { type: 'string' },
  verbosity: nullable({ type: 'string' }),
  web_search_options: ANY,
};

const REQUEST: Json = {
  type: 'object',
  required: ['model', 'messages'],
  properties: REQUEST_FIELDS,
  additionalProperties: false,
  $defs: {
    message: {
      type: 'object',
      required: ['role'],
      properties: {
        role: { enum: ['developer', 'system', 'user', 'assistant', 'tool', 'function'] },
        content: nullable({
          anyOf: [
            { type: 'string' },
            {
              type: 'array',
              items: { type: 'object', required: ['type'], properties: { type: { type: 'string' } } },
            },
          ],
        }),
        name: { type: 'string' },
        refusal: nullable({ type: 'string' }),
        tool_calls: { type: 'array' },
        tool_call_id: { type: 'string' },
        function_call: nullable({ type: 'object' }),
        audio: nullable({ type: 'object' }),
      },
      additionalProperties: false,
    },
  },
};

const COUNT = { type: 'integer', minimum: 0 };

const RESPONSE: Json = {
  type: 'object',
  required: ['id', 'object', 'created', 'model', 'choices'],
  additionalProperties: false,
  properties: {
    id: { type: 'string' },
    object: { const: 'chat.completion' },
    created: { type: 'integer' },
    model: { type: 'string' },
    system_fingerprint: { type: 'string' },
    service_tier: nullable({ enum: ['auto', 'default', 'flex', 'scale', 'priority'] }),
    choices: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['index', 'message', 'finish_reason', 'logprobs'],
        additionalProperties: false,
        properties: {
          index: COUNT,
          finish_reason: { enum: ['stop', 'length', 'tool_calls', 'content_filter', 'function_call'] },
          logprobs: { type: 'null' },
          message: {
            type: 'object',
            required: ['role', 'content', 'refusal'],
            additionalProperties: false,
            properties: {
              role: { const: 'assistant' },
              content: nullable({ type: 'string' }),
              refusal: nullable({ type: 'string' }),
              annotations: { type: 'array' },
            },
          },
        },
      },
    },
    usage: {
      type: 'object',
      required: ['prompt_tokens', 'completion_tokens', 'total_tokens'],
      additionalProperties: false,
      properties: { prompt_tokens: COUNT, completion_tokens: COUNT, total_tokens: COUNT },
    },
  },
};

const ajv = new Ajv2020({ strict: true, verbose: true });
const checkRequest = ajv.compile(REQUEST);
const checkAnswer = new Ajv2020({ strict: true, allErrors: true }).compile(RESPONSE);

/** `POST /chat/completions`, for a server whose base path is the API's (`/v1`, Azure's `/openai/v1`). */
export const CHAT_COMPLETIONS: HandOperation = {
  id: 'createChatCompletion',
  method: 'POST',
  template: '/chat/completions',
  segments: ['chat', 'completions'],
  bodyType: 'application/json',
  checkRequest(body) {
    return checkRequest(body) ? null : problem(this, checkRequest.errors ?? []);
  },
  checkResponse(status, body) {
    if (checkAnswer(body)) return null;
    return `POST /chat/completions response ${status}: ${formatErrors(checkAnswer.errors ?? [])}`;
  },
};
