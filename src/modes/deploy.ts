import * as core from '@actions/core';
import { EntraToken, ENTRA_SCOPE } from '../api/sign-in.js';
import { deploy } from '../azure/deployment.js';
import type { DeploySettings } from '../inputs/types.js';
import { bestModel, type RunRecord } from '../report/record.js';
import type { FollowContext } from './follow.js';
import { logText } from '../github/log.js';

/** How often a deployment's provisioning state is read while Resource Manager builds it. */
export const DEPLOYMENT_POLL_MS = 5_000;

/**
 * Azure: deploys the model of a succeeded job under `deployment-name` (the fine-tuned model, or
 * with `deploy-checkpoint: best` the best checkpoint), and waits until it can serve. Nothing to do
 * when no deployment was asked for or the job did not succeed.
 */
export async function deployIfAsked(
  settings: DeploySettings | undefined,
  record: RunRecord,
  context: FollowContext,
): Promise<void> {
  if (!settings || record.job?.status !== 'succeeded') return;
  const model = modelToDeploy(settings, record);
  const token = EntraToken.for(settings.signIn, ENTRA_SCOPE.management);
  const result = await core.group(`Deploy ${logText(model)} as ${settings.name}`, () =>
    deploy({ ...settings, model }, () => token.get(), {
      deadline: context.deadline,
      signal: context.signal,
      pollIntervalMs: DEPLOYMENT_POLL_MS,
    }),
  );
  record.deployment = { name: settings.name, id: result.id, model, sku: result.deployment.sku?.name };
  core.info(`Deployment ${settings.name} serves ${logText(model)} (${logText(result.provisioningState)})`);
}

/**
 * The model a succeeded job offers for deployment: the fine-tuned model, or with
 * `deploy-checkpoint: best` the best checkpoint.
 */
export function modelToDeploy(settings: DeploySettings, record: RunRecord): string {
  const job = record.job;
  const model = settings.checkpoint === 'best' ? bestModel(record) : (job?.fine_tuned_model ?? undefined);
  if (!model) throw new Error(`Job ${job?.id ?? '(none)'} succeeded but named no model to deploy`);
  return model;
}
