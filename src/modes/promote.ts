import * as core from '@actions/core';
import { EntraToken, ENTRA_SCOPE } from '../api/sign-in.js';
import { evaluateOnAzure, type Baseline, type GateLike, type PromotionResult } from '../azure/promotion.js';
import type { RunContext } from '../github/context.js';
import type { DeploySettings } from '../inputs/types.js';
import { code } from '../github/markdown.js';
import { logText } from '../github/log.js';
import type { RunRecord } from '../report/record.js';
import { DEPLOYMENT_POLL_MS, modelToDeploy } from './deploy.js';
import type { FollowContext } from './follow.js';

interface PromoteOptions<G extends GateLike> {
  /** The workflow run and attempt, which name the candidate's deployment. */
  run: Pick<RunContext, 'runId' | 'attempt'>;
  /** Default `served`: the model `deployment-name` serves now, through `deployment-name`. */
  baseline?: Baseline;
  /** The evaluation and its gate, asked through the deployments named (inference's `model`). */
  evaluate: (candidateDeployment: string, baselineDeployment: string | undefined) => Promise<G>;
}

/**
 * Azure with `eval-file`, in place of deployIfAsked: the succeeded job's model (or best checkpoint)
 * is evaluated on a Developer deployment of its own, which is deleted in every outcome, and
 * `deployment-name` is pointed at it only when the gate passes. Undefined when the job did not
 * succeed (nothing to evaluate).
 */
export async function evaluateAndPromote<G extends GateLike>(
  settings: DeploySettings,
  record: RunRecord,
  context: FollowContext,
  options: PromoteOptions<G>,
): Promise<PromotionResult<G> | undefined> {
  if (record.job?.status !== 'succeeded') return undefined;
  const model = modelToDeploy(settings, record);
  const token = EntraToken.for(settings.signIn, ENTRA_SCOPE.management);
  const result = await core.group(`Evaluate ${model} on Azure before it serves as ${settings.name}`, () =>
    evaluateOnAzure({
      target: settings,
      candidateModel: model,
      run: options.run,
      baseline: options.baseline,
      evaluate: options.evaluate,
      token: () => token.get(),
      deploy: { deadline: context.deadline, signal: context.signal, pollIntervalMs: DEPLOYMENT_POLL_MS },
    }),
  );
  const candidate = code(result.candidate.name);
  record.notes.push(
    result.candidate.deleted
      ? `The candidate was evaluated on its own deployment ${candidate}, which is deleted.`
      : `The candidate's deployment ${candidate} could not be deleted; the post step tries again.`,
  );
  if (result.promoted && result.deployment) {
    record.deployment = {
      name: settings.name,
      id: result.deployment.id,
      model,
      sku: result.deployment.deployment.sku?.name,
    };
    core.info(`Deployment ${settings.name} serves ${logText(model)}: the evaluation passed`);
  } else {
    record.notes.push(`The evaluation did not pass: ${code(settings.name)} was left as it was.`);
  }
  return result;
}
