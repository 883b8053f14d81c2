// A local, stateful stand-in for OpenAI's files, uploads, fine-tuning and chat completions API (or
// Azure OpenAI's, or a compatible provider's: `profile`), checked against the OpenAPI contract (chat
// completions against a schema of their own) on every request and answer.
import { createServer } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  azureDialect,
  azureSideRoutes,
  DeploymentStore,
  EntraStandIn,
  type Deployment,
  type TokenRequest,
} from './azure.ts';
import { ChatService } from './chat.ts';
import { CHAT_COMPLETIONS } from './chat-contract.ts';
import { loadContract } from './contract.ts';
import { openAiDialect } from './dialects.ts';
import { FaultInjector, type FaultPlan } from './faults.ts';
import { FileStore, type WireFile } from './files.ts';
import { createRequestHandler, type RequestLogEntry } from './http.ts';
import { newId } from './ids.ts';
import type { JobEnvironment, WireJob } from './job.ts';
import { DEFAULT_JOB_PLAN, mergePlan, type JobPlan } from './job-plan.ts';
import { JobStore } from './jobs.ts';
import { ModelCatalog } from './models.ts';
import { fileRoutes } from './routes/files.ts';
import { jobRoutes } from './routes/jobs.ts';
import { chatRoutes } from './routes/chat.ts';
import { modelRoutes } from './routes/models.ts';
import type { Services } from './routes/route.ts';
import { uploadRoutes } from './routes/uploads.ts';
import { PROFILE_RULES, PROFILES, type Profile } from './profile.ts';
import { otherTeamsJobSpecs, seededJob, type SeedJobSpec } from './seed.ts';
import { loadTokenizers } from './tokens.ts';
import { UploadStore } from './uploads.ts';

export type { JobError, JobPlan } from './job-plan.ts';
export type { Credential, RequestLogEntry } from './http.ts';
export type { Deployment, DeploymentModel, TokenRequest } from './azure.ts';
export { TOKEN_EXCHANGE_AUDIENCE } from './azure.ts';
export type { Profile } from './profile.ts';
export { PROFILES } from './profile.ts';
export type { FaultKind, FaultOutcome, FaultPlan } from './faults.ts';
export { DEFAULT_FAULT_PLAN, FAULT_KINDS } from './faults.ts';
export type { WireFile } from './files.ts';
export type { WireJob, JobStatus } from './job.ts';
export { DEFAULT_JOB_PLAN } from './job-plan.ts';
export { FIXED_REPLY } from './chat.ts';
export type { SeedJobSpec } from './seed.ts';
export { OTHER_REPOSITORY_RUN } from './seed.ts';

export interface ServerOptions {
  /**
   * Which API to play. `openai` (default): OpenAI's, under `/v1`. `azure`: Azure OpenAI's v1 data
   * plane under `/openai/v1`, checked against Microsoft's spec, with its `api-key` header, an Entra
   * token endpoint and ARM deployments beside it. `compatible`: an OpenAI-compatible provider under
   * `/v1`, without uploads, pause and resume, metadata on jobs or file statuses, taking LoRA
   * hyperparameters. See server/README.md.
   */
  profile?: Profile;
  /**
   * The key every request must send: as `Authorization: Bearer <key>`, or for `azure` in an
   * `api-key` header. Default `sk-local-test`.
   */
  apiKey?: string;
  /** Default 0: any free port. */
  port?: number;
  /** Validate request and response bodies against the OpenAPI spec. Default true. */
  contractCheck?: boolean;
  /** Called with each contract violation as it is recorded (the CLI prints them). */
  onContractViolation?: (violation: string) => void;
  /** How jobs behave; later changes go through `setJobPlan`. */
  jobPlan?: Partial<JobPlan>;
  /**
   * How long an uploaded file stays `uploaded` (Azure: `pending`, then `running`) before it is
   * `processed` (or `error`). Default 200. The `compatible` profile shows no status and takes a
   * file at once.
   */
  fileProcessingMs?: number;
  /** Where file bytes are kept. Default: a fresh temporary directory, removed on close. */
  storageDir?: string;
  /** The OpenAPI file to route and check by. Default: the profile's contract in contract/. */
  specPath?: string;
  /** Largest file `POST /files` accepts. Default 512 MiB, as the API documents. */
  maxFileBytes?: number;
  /** Largest Upload Part accepted. Default 64 MiB, as the API documents. */
  maxPartBytes?: number;
  /** Failures to inject (none by default); later changes go through `setFaults`. */
  faults?: Partial<FaultPlan>;
  /** Serve HTTPS with this key and certificate (PEM), as the real API does. Default plain HTTP. */
  tls?: { key: string; cert: string };
  /**
   * `ignored` lists every job whatever `metadata[key]=value` or `metadata=null` asks, as Azure
   * OpenAI's v1 API and other compatible APIs do. Default `honoured` for `openai`, as OpenAI
   * does, `ignored` for `azure` and `compatible`.
   */
  metadataFilter?: 'honoured' | 'ignored';
  /** `azure`: the lifetime of tokens the Entra stand-in issues, in whole seconds. Default 3599. */
  tokenLifetimeSeconds?: number;
  /** `azure`: how long an ARM deployment stays `Creating` (or `Updating`). Default 200. */
  deploymentProvisioningMs?: number;
  /** How long every chat completion takes to answer, in milliseconds. Default 0. */
  chatLatencyMs?: number;
  /**
   * Play the API behind a gateway that removes `metadata` from request bodies, as LiteLLM's OpenAI
   * pass-through does: jobs are created without it, so a metadata filter finds none of them.
   * `api.requests` keeps each body as the client sent it. Default false.
   */
  dropMetadata?: boolean;
}

export interface LocalApi {
  profile: Profile;
  /** Base URL ending in `/v1` (`azure`: `/openai/v1`), ready for `new OpenAI({ baseURL })`. */
  url: string;
  /**
   * `azure`: the Entra authority host (`http://127.0.0.1:PORT`), whose
   * `POST /{tenant}/oauth2/v2.0/token` issues tokens; `null` for other profiles.
   */
  authorityUrl: string | null;
  /** `azure`: the Resource Manager endpoint, serving account deployments; `null` for other profiles. */
  managementUrl: string | null;
  /** `azure`: every token request, issued or refused, in order (empty for other profiles). */
  tokenRequests: TokenRequest[];
  /** `azure`: ARM deployments as Resource Manager would show them now (empty for other profiles). */
  deployments(): Deployment[];
  port: number;
  apiKey: string;
  storageDir: string;
  /** Every request, in the order it was answered (or cut off); faulted ones carry `fault`. */
  requests: RequestLogEntry[];
  /** Requests that broke the contract (rejected with a 400) and answers that broke it (server drift). */
  contractViolations: string[];
  /** Changes how jobs created from now on behave. */
  setJobPlan(change: Partial<JobPlan>): void;
  /** Changes the fault plan for requests from now on; a `seed` in it restarts the generator. */
  setFaults(change: Partial<FaultPlan>): void;
  /** Stops injecting faults: the default plan, generator restarted from the default seed. */
  clearFaults(): void;
  /** Jobs as the API would show them now, newest first. */
  jobs(): WireJob[];
  /**
   * Stores another team's job, with its own training file, already in `spec.status`. It stays
   * there, whatever time passes, until a request cancels, pauses or resumes it.
   */
  seedJob(spec: SeedJobSpec): WireJob;
  /**
   * Seeds the standard set of other teams' jobs (`otherTeamsJobSpecs` in `server/seed.ts`) and
   * returns them as stored, the newest last. Created now: call it after the action has created its
   * jobs to have foreign jobs listed before them.
   */
  seedOtherTeamsJobs(): WireJob[];
  /** Stored files as the API would show them now, oldest first. */
  files(): WireFile[];
  /**
   * A stored file's bytes as kept, whatever its purpose: OpenAI's API refuses to download
   * `fine-tune` files, so a test that checks what arrived reads them here. Throws for an unknown id.
   */
  fileContent(id: string): Promise<Buffer>;
  /** Requests with this method whose route template (`/files/{file_id}`) or path equals `pattern`, or whose path matches it. */
  count(method: string, pattern: string | RegExp): number;
  /**
   * As `count`, but only requests the fault injector let through to the API's own handling (those
   * with no `fault`, and `lost` ones, which were carried out), whatever the API then answered.
   */
  countHandled(method: string, pattern: string | RegExp): number;
  close(): Promise<void>;
}

const MiB = 1024 * 1024;
const CLOSE_GRACE_MS = 1000;

export async function startServer(options: ServerOptions = {}): Promise<LocalApi> {
  // First, so that a plan out of range throws before anything is created.
  const faults = new FaultInjector(options.faults);
  const profile = options.profile ?? 'openai';
  if (!PROFILES.includes(profile))
    throw new RangeError(`profile must be one of ${PROFILES.join(', ')}, got ${String(profile)}`);
  const rules = PROFILE_RULES[profile];
  const apiKey = options.apiKey ?? 'sk-local-test';
  const contract = loadContract(options.specPath, profile);
  await loadTokenizers();
  const ownsStorage = options.storageDir === undefined;
  const storageDir = options.storageDir ?? (await mkdtemp(join(tmpdir(), 'openai-local-')));
  const tempDir = join(storageDir, 'incoming');
  await mkdir(tempDir, { recursive: true });

  const files = new FileStore(
    join(storageDir, 'files'),
    rules.fileStatuses === 'none' ? 0 : (options.fileProcessingMs ?? 200),
    rules.fileStatuses,
  );
  await files.init();
  const models = new ModelCatalog();
  let plan = mergePlan(DEFAULT_JOB_PLAN, options.jobPlan ?? {});
  const metadataFilter = options.metadataFilter ?? rules.metadataFilter;
  if (metadataFilter !== 'honoured' && metadataFilter !== 'ignored')
    throw new RangeError(`metadataFilter must be 'honoured' or 'ignored', got ${String(metadataFilter)}`);
  const env: JobEnvironment = {
    files,
    models,
    organizationId: newId.organization(),
    organizationName: 'personal',
    rules,
  };
  const services: Services = {
    files,
    uploads: new UploadStore(join(storageDir, 'uploads'), files),
    jobs: new JobStore(env),
    models,
    currentPlan: () => plan,
    metadataFilter,
    limits: {
      maxFileBytes: options.maxFileBytes ?? 512 * MiB,
      maxPartBytes: options.maxPartBytes ?? 64 * MiB,
    },
    rules,
    faults,
  };

  const jobRouteTable = jobRoutes(services);
  if (!rules.pauseResume) {
    delete jobRouteTable.pauseFineTuningJob;
    delete jobRouteTable.resumeFineTuningJob;
  }

  const chatLatencyMs = options.chatLatencyMs ?? 0;
  if (!(chatLatencyMs >= 0)) throw new RangeError(`chatLatencyMs must be >= 0, got ${chatLatencyMs}`);
  const requests: RequestLogEntry[] = [];
  const contractViolations: string[] = [];
  const azure =
    profile === 'azure'
      ? {
          entra: new EntraStandIn(options.tokenLifetimeSeconds ?? 3599),
          // A base model, a succeeded job's model, or one of its checkpoints: Azure deploys any.
          deployments: new DeploymentStore(
            options.deploymentProvisioningMs ?? 200,
            (model) => models.isBase(model) || services.jobs.trainedModel(model, Date.now()) !== undefined,
          ),
        }
      : null;
  const dataPlane = createRequestHandler({
    dialect: azure
      ? azureDialect(apiKey, rules.basePath, azure.entra)
      : openAiDialect(apiKey, rules.basePath),
    contract,
    contractCheck: options.contractCheck ?? true,
    routes: {
      ...fileRoutes(services),
      ...(rules.uploads ? uploadRoutes(services) : {}),
      ...jobRouteTable,
      ...modelRoutes(services),
      ...chatRoutes({
        chat: new ChatService(files, services.jobs, models),
        latencyMs: chatLatencyMs,
        resolveModel: azure ? (name, now) => azure.deployments.serving(name, now) : (model) => model,
      }),
    },
    handOperations: [CHAT_COMPLETIONS],
    dropMetadata: options.dropMetadata ?? false,
    tempDir,
    requests,
    violations: contractViolations,
    onViolation: options.onContractViolation,
    faults,
  });
  const sideRoutes = azure && azureSideRoutes(azure.entra, azure.deployments, requests);
  const handler: typeof dataPlane = sideRoutes
    ? (req, res) => {
        void sideRoutes(req, res).then(
          (handled) => handled || dataPlane(req, res),
          (error: unknown) => {
            console.error('local OpenAI API: could not answer', req.method, req.url, error);
            res.destroy();
          },
        );
      }
    : dataPlane;
  const server = options.tls ? createTlsServer(options.tls, handler) : createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  const seedJob = (spec: SeedJobSpec): WireJob => {
    const job = seededJob(spec, env, Date.now());
    services.jobs.add(job);
    return job.view();
  };

  const origin = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  return {
    profile,
    url: `${origin}${rules.basePath}`,
    authorityUrl: azure ? origin : null,
    managementUrl: azure ? origin : null,
    tokenRequests: azure?.entra.requests ?? [],
    deployments() {
      return azure?.deployments.list(Date.now()) ?? [];
    },
    port,
    apiKey,
    storageDir,
    requests,
    contractViolations,
    setJobPlan(change) {
      plan = mergePlan(plan, change);
    },
    jobs() {
      return services.jobs.list(Date.now()).map((job) => job.view());
    },
    seedJob,
    seedOtherTeamsJobs() {
      return otherTeamsJobSpecs().map(seedJob);
    },
    files() {
      const now = Date.now();
      return files.list(now).map((file) => files.view(file, now));
    },
    fileContent(id) {
      return readFile(files.require(id, Date.now()).path);
    },
    setFaults(change) {
      faults.set(change);
    },
    clearFaults() {
      faults.clear();
    },
    count(method, pattern) {
      return requests.filter((entry) => matches(entry, method, pattern)).length;
    },
    countHandled(method, pattern) {
      return requests.filter(
        (entry) => (entry.fault === undefined || entry.fault === 'lost') && matches(entry, method, pattern),
      ).length;
    },
    async close() {
      // Answers still being written get a moment to finish; a client that holds on longer is cut off.
      services.jobs.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      const cutOff = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
      await closed;
      clearTimeout(cutOff);
      if (ownsStorage) await rm(storageDir, { recursive: true, force: true });
    },
  };
}

function matches(entry: RequestLogEntry, method: string, pattern: string | RegExp): boolean {
  return (
    entry.method === method.toUpperCase() &&
    (typeof pattern === 'string'
      ? entry.route === pattern || entry.path === pattern
      : pattern.test(entry.path))
  );
}
