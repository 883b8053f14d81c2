import { AZURE_HOSTS } from '../facts/providers.js';

// Where a deployment lives in Azure Resource Manager: the names that make its resource URL.

export interface DeploymentTarget {
  /** ARM's endpoint, such as AZURE_MANAGEMENT_URL. */
  managementUrl: string;
  subscriptionId: string;
  resourceGroup: string;
  /** The Azure OpenAI (or AI Foundry) account, as ARM names it. */
  account: string;
  /** The deployment's name: what inference requests pass as `model`. */
  name: string;
}

/**
 * The account name from an Azure base URL such as https://contoso.openai.azure.com/openai/v1 ->
 * contoso (also *.services.ai.azure.com, *.cognitiveservices.azure.com); undefined otherwise.
 *
 * The host carries the account's custom subdomain, which the portal sets to the account's name but
 * an account created through ARM may have chosen otherwise: a guess to offer, not a certainty.
 */
export function accountFromBaseURL(baseURL: string): string | undefined {
  let host: string;
  try {
    host = new URL(baseURL).hostname.toLowerCase();
  } catch {
    return undefined;
  }
  for (const suffix of AZURE_HOSTS) {
    if (!host.endsWith(suffix)) continue;
    const label = host.slice(0, -suffix.length);
    return /^[a-z0-9][a-z0-9-]*$/.test(label) ? label : undefined;
  }
  return undefined;
}

/** The deployment's ARM URL, without the api-version. */
export function deploymentUrl(target: DeploymentTarget): string {
  const segment = encodeURIComponent;
  return (
    `${target.managementUrl.replace(/\/+$/, '')}/subscriptions/${segment(target.subscriptionId)}` +
    `/resourceGroups/${segment(target.resourceGroup)}/providers/Microsoft.CognitiveServices` +
    `/accounts/${segment(target.account)}/deployments/${segment(target.name)}`
  );
}

/** The longest deployment name Azure takes. */
const MAX_DEPLOYMENT_NAME = 64;

/**
 * The name a candidate is deployed under while it is evaluated: `<deployment-name>-eval-<run id>-<attempt>`,
 * its own to this run attempt, so no other run's deployment is ever made, changed or deleted by it.
 * A long `deployment-name` is cut, never the run's part, which is what keeps two runs apart.
 */
export function candidateName(deploymentName: string, runId: string, attempt: string): string {
  const suffix = `-eval-${runId || 'local'}-${attempt || '1'}`;
  return `${deploymentName.slice(0, Math.max(1, MAX_DEPLOYMENT_NAME - suffix.length))}${suffix}`;
}
