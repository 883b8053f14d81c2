// On Azure a fine-tuned model serves nothing until an account deployment points at it. Deployments
// are Azure Resource Manager resources, not part of the v1 data plane the job client talks to, so
// this module speaks to ARM directly: one PUT that creates or updates the deployment, then GETs on
// the same resource until ARM reports a terminal provisioning state.
import * as core from '@actions/core';
import { redact } from '../github/secrets.js';
import { ArmClient, DeploymentError, type DeployOptions } from './arm.js';
import { ARM_READ_API_VERSION, ARM_SKUS, type DeploymentSku } from '../facts/deployment.js';
import { deploymentUrl, type DeploymentTarget } from './names.js';
import { logText } from '../github/log.js';

/**
 * A fine-tuned model (or checkpoint) is registered as its own model, always at version 1: both
 * fine-tuning deployment guides above send `version: '1'` with the `.ft-` name.
 */
const FINE_TUNED_MODEL_VERSION = '1';

export interface DeploymentRequest extends DeploymentTarget {
  /** The fine-tuned model (`base.ft-<hex>[-suffix]`) or checkpoint (`ftchkpt-<hex>`) to serve. */
  model: string;
  sku: DeploymentSku;
  /** In the SKU's units: for Standard and GlobalStandard, thousands of tokens per minute. */
  capacity: number;
}

/** A deployment as ARM shows it; only the fields this module reads or reports. */
export interface ArmDeployment {
  id: string;
  name?: string;
  sku?: { name: string; capacity?: number };
  properties?: {
    model?: { format?: string; name?: string; version?: string };
    provisioningState?: string;
  };
}

export interface DeploymentResult {
  /** The ARM resource id, which the portal and `az resource show --ids` take. */
  id: string;
  name: string;
  provisioningState: string;
  /** Whether this run created the deployment (ARM's 201) rather than updated one (200). */
  created: boolean;
  deployment: ArmDeployment;
}

const TERMINAL_STATES = new Set(['succeeded', 'failed', 'canceled']);

/**
 * Creates or updates the deployment and waits until ARM says Succeeded; throws a DeploymentError
 * with ARM's code and message on failure or when `deadline`/`signal` stop it. `token` is asked
 * before every request, so a long wait can outlive one token: it should cache and renew.
 */
export async function deploy(
  request: DeploymentRequest,
  token: () => Promise<string>,
  options: DeployOptions,
): Promise<DeploymentResult> {
  if (!Number.isInteger(request.capacity) || request.capacity < 1)
    throw new RangeError(`deployment capacity must be a whole number >= 1, got ${request.capacity}`);
  const sku = ARM_SKUS[request.sku];
  if (!sku) throw new RangeError(`unknown deployment SKU ${String(request.sku)}`);
  const url = `${deploymentUrl(request)}?api-version=${sku.apiVersion}`;
  const arm = new ArmClient(token, options, request.name);

  core.info(
    `Deploying ${logText(request.model)} as '${request.name}' in account ${request.account} (${sku.name}, capacity ${request.capacity})`,
  );
  const put = await arm.send('PUT', url, {
    sku: { name: sku.name, capacity: request.capacity },
    properties: {
      model: { format: 'OpenAI', name: request.model, version: FINE_TUNED_MODEL_VERSION },
    },
  });
  const created = put.status === 201;
  const operationUrl = sameOrigin(put.headers.get('azure-asyncoperation'), request.managementUrl);
  let deployment = asDeployment(put.body);
  for (;;) {
    const state = deployment.properties?.provisioningState ?? 'Unknown';
    if (state !== arm.state) {
      core.info(`Deployment '${request.name}' is ${logText(state)}`);
      arm.state = state;
    }
    if (TERMINAL_STATES.has(state.toLowerCase())) {
      if (state.toLowerCase() === 'succeeded') {
        const id = deployment.id ?? new URL(url).pathname;
        return {
          id,
          name: request.name,
          provisioningState: state,
          created,
          deployment: { ...deployment, id },
        };
      }
      const why = operationUrl ? await arm.operationError(operationUrl) : undefined;
      throw new DeploymentError(
        redact(
          `Deployment '${request.name}' of ${request.model} ended ${state}` +
            (why ? `: ${why.code ? `(${why.code}) ` : ''}${why.message}` : ''),
        ),
        { reason: 'failed', code: why?.code, provisioningState: state },
      );
    }
    await arm.pause();
    deployment = asDeployment((await arm.send('GET', url)).body);
  }
}

/**
 * The deployment as ARM shows it now, or undefined when there is none of that name (404). What it
 * serves is `properties.model`; inference requests reach it by the deployment's own name.
 */
export async function readDeployment(
  target: DeploymentTarget,
  token: () => Promise<string>,
  options: DeployOptions,
  apiVersion: string = ARM_READ_API_VERSION,
): Promise<ArmDeployment | undefined> {
  return lookUp(
    new ArmClient(token, options, target.name),
    `${deploymentUrl(target)}?api-version=${apiVersion}`,
  );
}

/**
 * Deletes the deployment and waits until ARM no longer has it (a GET answers 404); one that is
 * already gone is no error. Only the model's endpoint goes: the fine-tuned model stays and can be
 * deployed again.
 */
export async function deleteDeployment(
  target: DeploymentTarget,
  token: () => Promise<string>,
  options: DeployOptions,
  apiVersion: string = ARM_READ_API_VERSION,
): Promise<void> {
  const url = `${deploymentUrl(target)}?api-version=${apiVersion}`;
  const arm = new ArmClient(token, options, target.name, 'gone');
  core.info(`Deleting deployment '${target.name}' in account ${target.account}`);
  // ARM refuses a delete while another operation on the deployment runs (409, such as a candidate
  // still being created when the run was cancelled): asked again until the deadline.
  for (;;) {
    try {
      await arm.send('DELETE', url);
      break;
    } catch (error) {
      if (!(error instanceof DeploymentError) || (error.status !== 404 && error.status !== 409)) throw error;
      if (error.status === 404) break;
      arm.state = 'busy with another operation';
      await arm.pause();
    }
  }
  for (;;) {
    const left = await lookUp(arm, url);
    if (!left) {
      core.info(`Deployment '${target.name}' is deleted`);
      return;
    }
    arm.state = left.properties?.provisioningState ?? 'Deleting';
    await arm.pause();
  }
}

async function lookUp(arm: ArmClient, url: string): Promise<ArmDeployment | undefined> {
  try {
    const deployment = asDeployment((await arm.send('GET', url)).body);
    return { ...deployment, id: deployment.id ?? new URL(url).pathname };
  } catch (error) {
    if (error instanceof DeploymentError && error.status === 404) return undefined;
    throw error;
  }
}

/**
 * The status resource ARM names for a long-running operation: only it says why a deployment ended
 * Failed, which the deployment itself does not. Followed only on ARM's own host, so the token goes
 * nowhere else.
 */
function sameOrigin(link: string | null, managementUrl: string): string | undefined {
  if (!link) return undefined;
  try {
    return new URL(link).origin === new URL(managementUrl).origin ? link : undefined;
  } catch {
    return undefined;
  }
}

function asDeployment(body: unknown): Partial<ArmDeployment> {
  return body && typeof body === 'object' ? (body as Partial<ArmDeployment>) : {};
}
