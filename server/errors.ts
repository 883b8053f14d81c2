// The API's error envelope and the handful of errors the stand-in raises. Messages copy the real
// API's wording where it is known (from recorded responses), because the action surfaces them to
// users and its tests may match on them.

export interface ErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export class ApiError extends Error {
  readonly status: number;
  readonly type: string;
  readonly param: string | null;
  readonly code: string | null;

  constructor(
    status: number,
    message: string,
    opts: { type?: string; param?: string | null; code?: string | null } = {},
  ) {
    super(message);
    this.status = status;
    this.type = opts.type ?? 'invalid_request_error';
    this.param = opts.param ?? null;
    this.code = opts.code ?? null;
  }

  body(): ErrorBody {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

export function invalidRequest(
  message: string,
  param: string | null = null,
  code: string | null = null,
): ApiError {
  return new ApiError(400, message, { param, code });
}

export function invalidUrl(method: string, path: string): ApiError {
  return new ApiError(404, `Invalid URL (${method} ${path})`);
}

export function fileNotFound(id: string): ApiError {
  return new ApiError(404, `No such File object: ${id}`, { param: 'id' });
}

export function jobNotFound(id: string): ApiError {
  return new ApiError(404, `Could not find fine tune: ${id}`, {
    param: 'fine_tune_id',
    code: 'fine_tune_not_found',
  });
}

export function uploadNotFound(id: string): ApiError {
  return new ApiError(404, `No such Upload object: ${id}`, { param: 'upload_id' });
}

export function modelNotFound(model: string): ApiError {
  return new ApiError(404, `The model \`${model}\` does not exist or you do not have access to it.`, {
    param: 'model',
    code: 'model_not_found',
  });
}

export function missingApiKey(): ApiError {
  return new ApiError(
    401,
    "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth " +
      "(i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API " +
      'from your browser and are prompted for a username and password. You can obtain an API key from ' +
      'https://platform.openai.com/account/api-keys.',
  );
}

export function incorrectApiKey(key: string): ApiError {
  return new ApiError(
    401,
    `Incorrect API key provided: ${maskKey(key)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
    { code: 'invalid_api_key' },
  );
}

// The real API echoes a key as its head, a run of stars and its tail (sk-abcd1234***...***wxyz); short
// keys keep proportionally less so that most of a wrong key is never echoed back.
export function maskKey(key: string): string {
  const head = Math.min(8, Math.floor(key.length / 3));
  const tail = Math.min(4, Math.floor(key.length / 4));
  const hidden = Math.max(1, key.length - head - tail);
  return key.slice(0, head) + '*'.repeat(hidden) + key.slice(key.length - tail);
}
