// What keeping a fine-tuned model deployed on Azure costs per hour, beside its tokens, by the SKU
// name Resource Manager reports for the deployment. A SKU not in this table (provisioned
// throughput, which bills PTU-hours at an agreed rate, or one added later) has no known price,
// and the summary says so rather than guess.

/** When the table was last compared with its source. */
export const HOSTING_PRICES_CHECKED = '2026-12-04';

/**
 * Microsoft's fine-tuning cost guide, "Ongoing operational costs" (MicrosoftDocs/azure-ai-docs
 * articles/ai-foundry/openai/how-to/fine-tuning-cost-management.md, ms.date 2026-02-11): Standard
 * and Global Standard $1.70 per hour, Developer Tier none.
 */
export const HOSTING_PRICES_SOURCE =
  'https://learn.microsoft.com/azure/ai-foundry/openai/how-to/fine-tuning-cost-management';

/** US dollars per hour of a fine-tuned deployment, by ARM SKU name (ARM's case varies: compared lower-cased). */
const PER_HOUR: Record<string, number> = {
  developertier: 0,
  standard: 1.7,
  globalstandard: 1.7,
};

/** The hourly hosting fee of a deployment of this ARM SKU, or undefined when it is not known here. */
export function hostingPerHour(armSku: string): number | undefined {
  return PER_HOUR[armSku.toLowerCase()];
}
