// The request pipeline shared by every endpoint: injected faults, authentication, routing through
// the contract, body reading and checking, the handler, the answer, its check against the contract,
// and the request log.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { finished, pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Contract, HandOperation, Operation, RequestProblem, RouteMatch } from './contract.ts';
import { ApiError, invalidRequest, type ErrorBody } from './errors.ts';
import { faultAnswer, insufficientQuota, type FaultInjector, type FaultOutcome } from './faults.ts';
import { receiveMultipart, type MultipartForm } from './multipart.ts';
import type { Reply, Routes } from './routes/route.ts';

/** How a request proved who sent it. */
export type Credential = 'bearer-key' | 'api-key' | 'entra-token';

export interface RequestLogEntry {
  method: string;
  /**
   * The path under the API's base path (`/v1`, Azure's `/openai/v1`), e.g. `/files/file-abc`; for
   * the Entra and ARM stand-ins, the whole path.
   */
  path: string;
  /** The spec's path template the request matched, e.g. `/files/{file_id}`; `null` if none. */
  route: string | null;
  query: Record<string, string>;
  /** The status answered; 0 when the connection was cut without an answer (fault `drop` or `lost`). */
  status: number;
  /** The parsed JSON body, or for multipart the field names and the files' sizes; `null` if never read. */
  body: unknown;
  startedAt: number;
  /** Until the answer was ready to send, `delayMs` included (a download's transfer time is not). */
  durationMs: number;
  /**
   * Set when fault injection decided the outcome: a random fault (the request was not carried out),
   * `insufficient_quota` (not carried out), or `lost` (carried out, then the connection was cut).
   */
  fault?: FaultOutcome;
  /** The credential the request was let in with; absent when it was not authenticated. */
  credential?: Credential;
}

/** What sets one API's dialect apart: where its paths start, how it authenticates, its errors. */
export interface Dialect {
  basePath: string;
  /** The credential the request carries, or the API's 401 as an `ApiError`. */
  authenticate(req: IncomingMessage, now: number): Credential;
  invalidUrl(method: string, path: string): ApiError;
  /** The API's error envelope for an error raised in OpenAI's shape. */
  errorBody(body: ErrorBody, status: number): unknown;
  /** Headers every answer carries. */
  headers(): Record<string, string>;
}

export interface PipelineOptions {
  dialect: Dialect;
  contract: Contract;
  contractCheck: boolean;
  routes: Routes;
  /** Operations the contract's spec does not describe, each with a schema of its own (chat completions). */
  handOperations?: HandOperation[];
  tempDir: string;
  requests: RequestLogEntry[];
  violations: string[];
  onViolation?: (violation: string) => void;
  faults: FaultInjector;
}

const MAX_JSON_BODY_BYTES = 10 * 1024 * 1024;

export function createRequestHandler(
  options: PipelineOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  const violation = (line: string) => {
    options.violations.push(line);
    options.onViolation?.(line);
  };

  return (req, res) => {
    void handle(req, res).catch((error: unknown) => {
      // Only a failure to write the answer lands here; a client that went away is no news.
      if ((error as { code?: string }).code !== 'ERR_STREAM_PREMATURE_CLOSE') {
        console.error('local OpenAI API: could not answer', req.method, req.url, error);
      }
      res.destroy();
    });
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const startedAt = Date.now();
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://localhost');
    const { dialect } = options;
    const underBase = url.pathname.startsWith(`${dialect.basePath}/`);
    const path = underBase ? url.pathname.slice(dialect.basePath.length) : url.pathname;
    const entry: RequestLogEntry = {
      method,
      path,
      route: null,
      query: Object.fromEntries(url.searchParams),
      status: 0,
      body: null,
      startedAt,
      durationMs: 0,
    };
    const match = underBase
      ? (matchRoute(options.contract, method, path) ?? matchHand(options.handOperations ?? [], method, path))
      : null;
    const operation: Operation | null = match?.operation ?? null;
    entry.route = operation?.template ?? null;

    // Random faults strike before authentication, and before any of the body is read.
    const fault = options.faults.draw(path, entry.route);
    if (fault === 'drop') {
      entry.fault = fault;
      return cut(res, entry);
    }
    if (fault) {
      entry.fault = fault;
      return answer(req, res, entry, operation, faultAnswer(fault, options.faults.plan.retryAfterMs));
    }

    let form: MultipartForm | null = null;
    let reply: Reply;
    let lost = false;
    try {
      entry.credential = dialect.authenticate(req, startedAt);
      if (options.faults.plan.insufficientQuota) {
        entry.fault = 'insufficient_quota';
        throw insufficientQuota();
      }
      if (!match || !operation) throw dialect.invalidUrl(method, url.pathname);
      const route = options.routes[operation.id];
      if (!route) throw dialect.invalidUrl(method, url.pathname);
      let body: unknown = null;
      if (operation.bodyType === 'application/json') {
        body = await readJson(req);
        entry.body = body;
        rejectIfOffContract(
          !options.contractCheck
            ? null
            : isHand(operation)
              ? operation.checkRequest(body)
              : options.contract.checkJsonBody(operation, body),
        );
      } else if (operation.bodyType === 'multipart/form-data') {
        form = await receiveMultipart(req, { tempDir: options.tempDir, ...route.upload! });
        entry.body = {
          fields: Object.keys(form.fields),
          files: form.files.map((file) => ({
            field: file.field,
            filename: file.filename,
            bytes: file.stats.bytes,
          })),
        };
        const shape = { fields: form.fields, files: form.files.map((file) => file.field) };
        rejectIfOffContract(
          options.contractCheck ? options.contract.checkMultipartBody(operation, shape) : null,
        );
      }
      reply = await route.handle({
        params: match.params,
        query: url.searchParams,
        body,
        form,
        now: Date.now(),
      });
      // The job exists now; only its answer goes missing.
      lost = operation.id === 'createFineTuningJob' && options.faults.takeLostCreate();
    } catch (error) {
      reply = errorReply(error);
    } finally {
      await form?.dispose();
    }

    if (lost) {
      entry.fault = 'lost';
      return cut(res, entry);
    }
    await answer(req, res, entry, operation, reply);
  }

  async function answer(
    req: IncomingMessage,
    res: ServerResponse,
    entry: RequestLogEntry,
    operation: Operation | null,
    reply: Reply,
  ): Promise<void> {
    // A request refused before its body was read (a fault, 401, 404) still has to be read to the
    // end, or the client would see its upload cut off instead of the answer. Nothing is kept.
    if (!req.readableEnded) {
      req.resume();
      await finished(req).catch(() => undefined);
    }
    entry.status = 'json' in reply ? (reply.status ?? 200) : 200;
    if ('json' in reply && entry.status >= 400)
      reply = { ...reply, json: options.dialect.errorBody(reply.json as ErrorBody, entry.status) };
    if ('json' in reply && operation && options.contractCheck) {
      // An error answer is checked against the API's error schema, whichever operation it answers.
      const problem =
        isHand(operation) && entry.status < 300
          ? operation.checkResponse(entry.status, reply.json)
          : options.contract.checkResponse(operation, entry.status, reply.json);
      if (problem) violation(problem);
    }
    await slowDown();
    // Logged before sending, so the entry is there by the time the client has its answer.
    entry.durationMs = Date.now() - entry.startedAt;
    options.requests.push(entry);
    await send(res, reply, options.dialect.headers());
  }

  /** Cuts the connection without an answer; the client sees a reset ("socket hang up"). */
  async function cut(res: ServerResponse, entry: RequestLogEntry): Promise<void> {
    await slowDown();
    entry.status = 0;
    entry.durationMs = Date.now() - entry.startedAt;
    options.requests.push(entry);
    res.destroy();
  }

  async function slowDown(): Promise<void> {
    const { delayMs } = options.faults.plan;
    if (delayMs > 0) await sleep(delayMs);
  }

  function rejectIfOffContract(problem: RequestProblem | null): void {
    if (!problem) return;
    violation(problem.violation);
    throw problem.error;
  }
}

/** The operation for a path, or `null`, also for a path whose escapes do not decode (a 404). */
function matchRoute(contract: Contract, method: string, path: string): RouteMatch | null {
  try {
    return contract.match(method, path);
  } catch (error) {
    if (error instanceof URIError) return null;
    throw error;
  }
}

function isHand(operation: Operation): operation is HandOperation {
  return 'checkRequest' in operation;
}

/** A hand-described operation whose (parameterless) template is the path. */
function matchHand(operations: HandOperation[], method: string, path: string): RouteMatch | null {
  const operation = operations.find((op) => op.method === method && op.template === path);
  return operation ? { operation, params: {} } : null;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_JSON_BODY_BYTES)
      throw new ApiError(413, `The request body is larger than ${MAX_JSON_BODY_BYTES} bytes.`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw invalidRequest(
      "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. " +
        'The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble figuring out how to fix ' +
        'this, please contact us through our help center at help.openai.com.)',
    );
  }
}

function errorReply(error: unknown): Reply {
  if (error instanceof ApiError) return { status: error.status, json: error.body() };
  console.error('local OpenAI API: handler failed', error);
  const message = 'The server had an error while processing your request. Sorry about that!';
  return { status: 500, json: new ApiError(500, message, { type: 'server_error' }).body() };
}

async function send(res: ServerResponse, reply: Reply, headers: Record<string, string>): Promise<void> {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  if ('json' in reply) {
    const text = JSON.stringify(reply.json);
    res.writeHead(reply.status ?? 200, {
      ...reply.headers,
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
    return;
  }
  res.writeHead(200, { 'content-type': reply.contentType, 'content-length': reply.bytes });
  await pipeline(reply.stream, res);
}
