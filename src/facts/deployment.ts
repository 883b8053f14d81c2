// Azure deployments: the SKUs the `deployment-sku` input names, and what Resource Manager calls them.

/** The `deployment-sku` input's values. */
export const DEPLOYMENT_SKUS = ['developer', 'standard', 'global-standard'] as const;
export type DeploymentSku = (typeof DEPLOYMENT_SKUS)[number];

/**
 * What each `deployment-sku` value is called in ARM, and the api-version to ask for it with.
 *
 * SKU names: "SKU name in code" in Microsoft's deployment types page
 * (https://learn.microsoft.com/azure/ai-foundry/openai/how-to/deployment-types, MicrosoftDocs/azure-ai-docs
 * articles/ai-foundry/openai/how-to/deployment-types.md): `Standard`, `GlobalStandard`, and for
 * fine-tuned models only `DeveloperTier`. The fine-tuning guides' examples write them in lower case;
 * the page's spelling is the one sent.
 *
 * api-versions: the production deployment guide
 * (https://learn.microsoft.com/azure/ai-foundry/openai/how-to/fine-tuning-deploy) deploys across
 * tenants and deletes with the GA Resource Manager version 2024-10-01. The only REST example Microsoft
 * gives for a Developer deployment (https://learn.microsoft.com/azure/ai-foundry/openai/how-to/fine-tune-test)
 * uses 2025-07-01-preview, so that SKU is sent with the version it is documented with.
 */
export const ARM_SKUS: Record<DeploymentSku, { name: string; apiVersion: string }> = {
  developer: { name: 'DeveloperTier', apiVersion: '2025-07-01-preview' },
  standard: { name: 'Standard', apiVersion: '2024-10-01' },
  'global-standard': { name: 'GlobalStandard', apiVersion: '2024-10-01' },
};

/** Public Azure's Resource Manager, and the scope an Entra token for it is asked with. */
export const AZURE_MANAGEMENT_URL = 'https://management.azure.com';

/**
 * The capacity a candidate's Developer deployment is made with: the value of Microsoft's own
 * Developer example (fine-tune-test, "sku": {"name": "developertier", "capacity": 50}); the tier
 * bills per token only, so the capacity costs nothing by itself.
 */
export const CANDIDATE_CAPACITY = 50;

/** Developer deployments are removed after this long, whatever their use (fine-tune-test). */
export const DEVELOPER_LIFETIME_HOURS = 24;

/** The api-version for reading and deleting a deployment whose SKU is not known beforehand. */
export const ARM_READ_API_VERSION = ARM_SKUS.standard.apiVersion;
