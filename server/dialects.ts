// OpenAI's dialect, which OpenAI-compatible providers copy: the key as a Bearer token, OpenAI's
// error envelope and headers.
import { incorrectApiKey, invalidUrl, missingApiKey } from './errors.ts';
import type { Dialect } from './http.ts';
import { newId } from './ids.ts';

export function openAiDialect(apiKey: string, basePath: string): Dialect {
  return {
    basePath,
    authenticate(req) {
      const match = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
      if (!match) throw missingApiKey();
      if (match[1].trim() !== apiKey) throw incorrectApiKey(match[1].trim());
      return 'bearer-key';
    },
    invalidUrl,
    errorBody: (body) => body,
    headers: () => ({ 'x-request-id': newId.request(), 'openai-version': '2020-10-01' }),
  };
}
