// Azure: a new model is evaluated on a deployment of its own and takes over `deployment-name` only
// when its evaluation passes. The evaluation itself is the caller's (injected): this module owns
// the deployments around it, and the promise that the candidate's deployment is deleted whatever
// happens, so none is left to count against the resource's limit of fine-tuned deployments.
import * as core from '@actions/core';
import { describeError } from '../api/errors.js';
import {
  ARM_SKUS,
  CANDIDATE_CAPACITY,
  DEVELOPER_LIFETIME_HOURS,
  type DeploymentSku,
} from '../facts/deployment.js';
import { redact } from '../github/secrets.js';
import { setCandidateDeployment } from '../github/state.js';
import type { DeployOptions } from './arm.js';
import {
  deleteDeployment,
  deploy,
  readDeployment,
  type ArmDeployment,
  type DeploymentResult,
} from './deployment.js';
import { candidateName, type DeploymentTarget } from './names.js';

/** `deployment-name` and where it lives, with the SKU and capacity it keeps when it is promoted. */
export interface PromotionTarget extends DeploymentTarget {
  sku: DeploymentSku;
  capacity: number;
}

/** What the evaluation decided; only whether it passed matters here. */
export interface GateLike {
  passed: boolean;
}

/**
 * Whom the candidate is compared with: `served` (default) the model `deployment-name` serves now,
 * asked through `deployment-name` itself (none when it does not exist yet); `none` no one; or
 * another deployment by name.
 */
export type Baseline = 'served' | 'none' | { deployment: string };

export interface PromotionRequest<G extends GateLike> {
  target: PromotionTarget;
  /** The fine-tuned model (or checkpoint) to evaluate and, when it passes, to serve. */
  candidateModel: string;
  /** The workflow run and attempt: the candidate deployment's name is theirs alone. */
  run: { runId: string; attempt: string };
  /** Grades the candidate (and the baseline, if any) through the deployments named: inference takes a deployment's name as `model`. */
  evaluate: (candidateDeployment: string, baselineDeployment: string | undefined) => Promise<G>;
  baseline?: Baseline;
  /** A management-scope bearer token, asked before every request: it should cache and renew. */
  token: () => Promise<string>;
  /** The run's deadline and cancellation, for everything but deleting the candidate. */
  deploy: DeployOptions;
}

export interface PromotionResult<G extends GateLike> {
  gate: G;
  /** Whether `deployment-name` now serves the candidate. */
  promoted: boolean;
  /** The candidate's deployment, and whether its deletion was confirmed (else the post step tries again). */
  candidate: { name: string; deleted: boolean };
  /** The deployment the baseline answered through, if any. */
  baseline?: string;
  /** `deployment-name` before this run, when it existed: `properties.model` is what it served. */
  before?: ArmDeployment;
  /** `deployment-name` once it serves the candidate. */
  deployment?: DeploymentResult;
}

/**
 * How long deleting the candidate may take: a cancelled run has 7.5 s before SIGTERM, so it sends
 * the delete and waits briefly (the post step finishes the job); otherwise the deletion is waited
 * for, past the run's own deadline if need be.
 */
const DELETE_BUDGET_MS = { aborted: 5_000, normal: 5 * 60_000 } as const;
/** How often the post step looks whether a deleted candidate is gone. */
const DELETE_POLL_MS = 2_000;

/**
 * Deploys the candidate on a Developer deployment of its own (no hourly fee), runs `evaluate`
 * against it, deletes it in every outcome (pass, fail, a thrown evaluation, an abort), and points
 * `deployment-name` at the candidate's model only when the gate passed. The candidate's name is
 * saved in the step state before it is asked for, and cleared once it is gone.
 */
export async function evaluateOnAzure<G extends GateLike>(
  request: PromotionRequest<G>,
): Promise<PromotionResult<G>> {
  const { target, token, deploy: options } = request;
  const before = await readDeployment(target, token, options, ARM_SKUS[target.sku].apiVersion);
  const baseline = baselineOf(request.baseline ?? 'served', target.name, before);
  const candidate = {
    ...target,
    name: candidateName(target.name, request.run.runId, request.run.attempt),
    model: request.candidateModel,
    sku: 'developer' as const,
    capacity: CANDIDATE_CAPACITY,
  };

  setCandidateDeployment(candidate.name);
  let gate: G;
  let deleted = false;
  try {
    await deploy(candidate, token, options);
    gate = await request.evaluate(candidate.name, baseline);
  } finally {
    deleted = await removeCandidate(candidate, token, {
      budgetMs: options.signal?.aborted ? DELETE_BUDGET_MS.aborted : DELETE_BUDGET_MS.normal,
      pollIntervalMs: options.pollIntervalMs,
    });
  }
  const result = { gate, candidate: { name: candidate.name, deleted }, baseline, before };
  if (!gate.passed) {
    core.info(
      `The evaluation did not pass: '${target.name}' is left as it was` +
        // ARM's text, quoted: no newline in it can start a workflow command.
        (before?.properties?.model?.name ? `, serving ${JSON.stringify(before.properties.model.name)}` : ''),
    );
    return { ...result, promoted: false };
  }

  warnOfSku(target, before);
  const deployment = await deploy({ ...target, model: request.candidateModel }, token, options);
  return { ...result, promoted: true, deployment };
}

/**
 * Deletes a candidate's deployment and clears it from the step state; true once ARM confirms it
 * is gone. Never throws: a deletion that fails is a warning, the name stays in the state for the
 * post step, and Azure removes a Developer deployment by itself after its lifetime.
 */
export async function removeCandidate(
  candidate: DeploymentTarget,
  token: () => Promise<string>,
  { budgetMs = DELETE_BUDGET_MS.normal, pollIntervalMs = DELETE_POLL_MS } = {},
): Promise<boolean> {
  try {
    await deleteDeployment(
      candidate,
      token,
      // No signal: a cancelled run must still delete what it made.
      { deadline: Date.now() + budgetMs, pollIntervalMs: Math.min(pollIntervalMs, budgetMs / 5) },
      ARM_SKUS.developer.apiVersion,
    );
    setCandidateDeployment(undefined);
    return true;
  } catch (error) {
    core.warning(
      redact(
        `Could not delete the candidate deployment '${candidate.name}': ${describeError(error)}. ` +
          `The post step tries again; Azure removes a Developer deployment after ${DEVELOPER_LIFETIME_HOURS} hours.`,
      ),
    );
    return false;
  }
}

function baselineOf(baseline: Baseline, name: string, before: ArmDeployment | undefined): string | undefined {
  if (baseline === 'none') return undefined;
  if (baseline !== 'served') return baseline.deployment;
  if (before) return name;
  core.info(`Deployment '${name}' does not exist yet: the candidate is evaluated without a baseline`);
  return undefined;
}

/** Promotion keeps `deployment-sku`: say when that is short-lived, or differs from what serves now. */
function warnOfSku(target: PromotionTarget, before: ArmDeployment | undefined): void {
  const sku = ARM_SKUS[target.sku].name;
  if (target.sku === 'developer')
    core.warning(
      `deployment-sku is developer: Azure removes '${target.name}' ${DEVELOPER_LIFETIME_HOURS} hours after this deployment; ` +
        'set deployment-sku to standard or global-standard for one that stays',
    );
  const now = before?.sku?.name;
  if (now && now.toLowerCase() !== sku.toLowerCase())
    core.warning(
      redact(
        `'${target.name}' is a ${now} deployment now; it becomes ${sku} (deployment-sku: ${target.sku})`,
      ),
    );
}
