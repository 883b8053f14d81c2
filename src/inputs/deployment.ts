import type { Connection } from '../api/client.js';
import { accountFromBaseURL } from '../azure/names.js';
import { InputError } from '../facts/input-error.js';
import { choice, integer, strayInput, text, url } from './read.js';
import type { DeploySettings } from './types.js';

// Azure: the deployment asked for with `deployment-name`, made through Resource Manager once the
// job succeeds.

/** The inputs that mean something only with deployment-name. */
const RELATED = [
  'deployment-sku',
  'deployment-capacity',
  'deploy-checkpoint',
  'azure-subscription-id',
  'azure-resource-group',
  'azure-account',
] as const;

/** The deployment asked for with `deployment-name`, or undefined; every input it uses is checked here. */
export function readDeploy(connection: Connection): DeploySettings | undefined {
  const name = text('deployment-name');
  // Only whether eval-file is set: the evaluation's own reader checks what it holds.
  if (name === '' && connection.provider === 'azure' && text('eval-file') !== '') {
    throw new InputError(
      'deployment-name',
      'is required with eval-file on Azure: the new model is evaluated on a deployment of its own, ' +
        'and deployment-name is pointed at it only when the evaluation passes',
    );
  }
  if (name === '') {
    const stray = strayInput(RELATED);
    if (stray) throw new InputError(stray, 'applies only with deployment-name');
    return undefined;
  }
  if (connection.provider !== 'azure') {
    throw new InputError('deployment-name', `deploys on Azure, not provider ${connection.provider}`);
  }
  if (connection.keyless?.kind !== 'entra') {
    throw new InputError(
      'deployment-name',
      'needs the Microsoft Entra ID sign-in (azure-client-id and azure-tenant-id): Azure Resource Manager takes no API key',
    );
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name)) {
    throw new InputError('deployment-name', `must be 1-64 letters, digits, '.', '_' or '-', got '${name}'`);
  }
  const required = (key: 'azure-subscription-id' | 'azure-resource-group', why: string) => {
    const value = text(key);
    if (value === '') throw new InputError(key, `is required with deployment-name: ${why}`);
    return value;
  };
  const account = text('azure-account') || accountFromBaseURL(connection.baseURL);
  if (!account) {
    throw new InputError(
      'azure-account',
      'is required with deployment-name when base-url does not name the resource',
    );
  }
  return {
    name,
    sku: choice('deployment-sku'),
    capacity: integer('deployment-capacity', 1, 100_000),
    checkpoint: choice('deploy-checkpoint'),
    subscriptionId: required(
      'azure-subscription-id',
      'the subscription that holds the Azure OpenAI resource',
    ),
    resourceGroup: required('azure-resource-group', 'the resource group of the Azure OpenAI resource'),
    account,
    managementUrl: url('azure-management-url'),
    signIn: connection.keyless,
  };
}
