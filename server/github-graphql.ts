// The one GraphQL query the action sends GitHub: who the token acts as (`viewer { login }`), to know
// which comments are its own. GitHub answers it for a person's token and refuses it for an
// installation's (GITHUB_TOKEN, a GitHub App's token) with a FORBIDDEN error in a 200 answer, as
// it refuses REST `GET /user` to such a token. Any other query is a departure from what the
// action is known to need, answered as GitHub answers a query it cannot parse.

/** Who a token acts as: its account, and whether it is an installation's (which `viewer` refuses). */
export interface TokenActor {
  login: string;
  id: number;
  type: 'User' | 'Bot';
  installation: boolean;
}

export interface GraphqlAnswer {
  json: unknown;
  /** Set when the request was not the viewer query. */
  violation?: string;
}

const VIEWER_LOGIN = /^\s*(?:query\s*(?:\w+\s*)?)?\{\s*viewer\s*\{\s*login\s*\}\s*\}\s*$/;

export function answerGraphql(body: unknown, actor: TokenActor): GraphqlAnswer {
  const query = (body as { query?: unknown } | null)?.query;
  if (typeof query !== 'string' || !VIEWER_LOGIN.test(query)) {
    return {
      json: { errors: [{ message: 'A query attribute must be specified and must be a string.' }] },
      violation: `POST /graphql: the stand-in plays only \`viewer { login }\`, not ${JSON.stringify(query)}`,
    };
  }
  if (actor.installation) {
    return {
      json: {
        data: null,
        errors: [
          {
            type: 'FORBIDDEN',
            path: ['viewer'],
            extensions: { saml_failure: false },
            locations: [{ line: 1, column: query.indexOf('viewer') + 1 }],
            message: 'Resource not accessible by integration',
          },
        ],
      },
    };
  }
  return { json: { data: { viewer: { login: actor.login } } } };
}
