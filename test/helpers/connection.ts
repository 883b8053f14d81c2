import type { Connection } from '../../src/api/client.js';

/** The API the unit tests' nock scopes stand for. */
export const API = 'http://api.test';

/** A connection to it with a key, as readConfig makes one for OpenAI. */
export const CONNECTION: Connection = {
  apiKey: 'sk-unit-test',
  baseURL: `${API}/v1`,
  provider: 'openai',
  organization: null,
  project: null,
};
