import type { MethodType } from './methods.js';
import type { Provider } from './providers.js';

// Which models each provider fine-tunes, and what the data check needs to know about each: the
// tokenizer, how many tokens one example may hold, the methods it trains with and whether it takes
// images. Each row names where its figures come from; a model not in the table is still trained,
// but its counts are labelled approximate and its limits are not enforced.

export type Encoding = 'o200k_base' | 'cl100k_base';

export interface ModelInfo {
  /** The snapshot's name as the provider lists it. */
  name: string;
  encoding: Encoding;
  /** The most tokens one training example may hold (the training context). */
  exampleTokens: number;
  methods: readonly MethodType[];
  /** Whether examples may hold images (vision fine-tuning). */
  vision: boolean;
  /** Trains on prompt/completion lines rather than chat messages. */
  completions?: boolean;
  source: string;
}

const OPENAI_MODELS_GUIDE =
  'https://platform.openai.com/docs/guides/fine-tuning#which-models-can-be-fine-tuned';
const OPENAI_DPO_GUIDE = 'https://platform.openai.com/docs/guides/direct-preference-optimization';
const OPENAI_VISION_GUIDE = 'https://platform.openai.com/docs/guides/vision-fine-tuning';
const OPENAI_RFT_GUIDE = 'https://platform.openai.com/docs/guides/reinforcement-fine-tuning';
const OPENAI_LEGACY_GUIDE = 'https://platform.openai.com/docs/guides/legacy-fine-tuning';
/** Microsoft's table of fine-tuning models: training example context length and modality per model. */
const AZURE_MODELS =
  'https://learn.microsoft.com/azure/ai-foundry/openai/concepts/models#fine-tuning-models (includes/fine-tune-models.md)';
const AZURE_DPO =
  'https://learn.microsoft.com/azure/ai-foundry/openai/how-to/fine-tuning-direct-preference-optimization';
const AZURE_RFT = 'https://learn.microsoft.com/azure/ai-foundry/openai/how-to/reinforcement-fine-tuning';
const AZURE_LEGACY = 'https://learn.microsoft.com/azure/ai-foundry/openai/how-to/fine-tuning (older models)';

const SFT: readonly MethodType[] = ['supervised'];
const SFT_DPO: readonly MethodType[] = ['supervised', 'dpo'];
const RFT: readonly MethodType[] = ['reinforcement'];

const OPENAI: readonly ModelInfo[] = [
  {
    name: 'gpt-4.1-2025-04-14',
    encoding: 'o200k_base',
    exampleTokens: 65_536,
    methods: SFT_DPO,
    vision: true,
    source: `${OPENAI_MODELS_GUIDE}; ${OPENAI_DPO_GUIDE}; ${OPENAI_VISION_GUIDE}`,
  },
  {
    name: 'gpt-4.1-mini-2025-04-14',
    encoding: 'o200k_base',
    exampleTokens: 65_536,
    methods: SFT_DPO,
    vision: false,
    source: `${OPENAI_MODELS_GUIDE}; ${OPENAI_DPO_GUIDE}`,
  },
  {
    name: 'gpt-4.1-nano-2025-04-14',
    encoding: 'o200k_base',
    exampleTokens: 65_536,
    methods: SFT_DPO,
    vision: false,
    source: `${OPENAI_MODELS_GUIDE}; ${OPENAI_DPO_GUIDE}`,
  },
  {
    name: 'gpt-4o-2024-08-06',
    encoding: 'o200k_base',
    exampleTokens: 65_536,
    methods: SFT_DPO,
    vision: true,
    source: `${OPENAI_MODELS_GUIDE}; ${OPENAI_DPO_GUIDE}; ${OPENAI_VISION_GUIDE}`,
  },
  {
    name: 'gpt-4o-mini-2024-07-18',
    encoding: 'o200k_base',
    exampleTokens: 65_536,
    methods: SFT_DPO,
    vision: false,
    source: `${OPENAI_MODELS_GUIDE}; ${OPENAI_DPO_GUIDE}`,
  },
  {
    name: 'o4-mini-2025-04-16',
    encoding: 'o200k_base',
    exampleTokens: 65_536,
    methods: RFT,
    vision: false,
    source: OPENAI_RFT_GUIDE,
  },
  {
    name: 'gpt-4-0613',
    encoding: 'cl100k_base',
    exampleTokens: 8_192,
    methods: SFT,
    vision: false,
    source: OPENAI_MODELS_GUIDE,
  },
  // The first of the gpt-3.5-turbo snapshots is the one the alias `gpt-3.5-turbo` trains.
  {
    name: 'gpt-3.5-turbo-0125',
    encoding: 'cl100k_base',
    exampleTokens: 16_385,
    methods: SFT,
    vision: false,
    source: OPENAI_MODELS_GUIDE,
  },
  {
    name: 'gpt-3.5-turbo-1106',
    encoding: 'cl100k_base',
    exampleTokens: 16_385,
    methods: SFT,
    vision: false,
    source: OPENAI_MODELS_GUIDE,
  },
  {
    name: 'gpt-3.5-turbo-0613',
    encoding: 'cl100k_base',
    exampleTokens: 4_096,
    methods: SFT,
    vision: false,
    source: OPENAI_MODELS_GUIDE,
  },
  {
    name: 'babbage-002',
    encoding: 'cl100k_base',
    exampleTokens: 16_384,
    methods: SFT,
    vision: false,
    completions: true,
    source: OPENAI_LEGACY_GUIDE,
  },
  {
    name: 'davinci-002',
    encoding: 'cl100k_base',
    exampleTokens: 16_384,
    methods: SFT,
    vision: false,
    completions: true,
    source: OPENAI_LEGACY_GUIDE,
  },
];

// Azure names the same snapshots (gpt-35-turbo without the dot), with its own limits and methods.
const AZURE: readonly ModelInfo[] = [
  {
    name: 'gpt-4.1-2025-04-14',
    encoding: 'o200k_base',
    exampleTokens: 65_536,
    methods: SFT_DPO,
    vision: true,
    source: `${AZURE_MODELS}; ${AZURE_DPO}`,
  },
  {
    name: 'gpt-4.1-mini-2025-04-14',
    encoding: 'o200k_base',
    exampleTokens: 65_536,
    methods: SFT_DPO,
    vision: false,
    source: `${AZURE_MODELS}; ${AZURE_DPO}`,
  },
  {
    name: 'gpt-4.1-nano-2025-04-14',
    encoding: 'o200k_base',
    exampleTokens: 32_768,
    methods: SFT,
    vision: false,
    source: AZURE_MODELS,
  },
  {
    name: 'gpt-4o-2024-08-06',
    encoding: 'o200k_base',
    exampleTokens: 65_536,
    methods: SFT_DPO,
    vision: true,
    source: `${AZURE_MODELS}; ${AZURE_DPO}`,
  },
  {
    name: 'gpt-4o-mini-2024-07-18',
    encoding: 'o200k_base',
    exampleTokens: 65_536,
    methods: SFT,
    vision: false,
    source: AZURE_MODELS,
  },
  {
    name: 'o4-mini-2025-04-16',
    encoding: 'o200k_base',
    exampleTokens: 65_536,
    methods: RFT,
    vision: false,
    source: `${AZURE_MODELS}; ${AZURE_RFT}`,
  },
  {
    name: 'gpt-35-turbo-0125',
    encoding: 'cl100k_base',
    exampleTokens: 16_385,
    methods: SFT,
    vision: false,
    source: AZURE_LEGACY,
  },
  {
    name: 'gpt-35-turbo-1106',
    encoding: 'cl100k_base',
    exampleTokens: 16_385,
    methods: SFT,
    vision: false,
    source: AZURE_LEGACY,
  },
  {
    name: 'gpt-35-turbo-0613',
    encoding: 'cl100k_base',
    exampleTokens: 4_096,
    methods: SFT,
    vision: false,
    source: AZURE_LEGACY,
  },
  {
    name: 'babbage-002',
    encoding: 'cl100k_base',
    exampleTokens: 16_384,
    methods: SFT,
    vision: false,
    completions: true,
    source: AZURE_LEGACY,
  },
  {
    name: 'davinci-002',
    encoding: 'cl100k_base',
    exampleTokens: 16_384,
    methods: SFT,
    vision: false,
    completions: true,
    source: AZURE_LEGACY,
  },
];

/**
 * The table each provider is checked against. A compatible provider is often a gateway in front of
 * OpenAI (LiteLLM, Portkey), so OpenAI's names are looked up there; its open models are not known.
 */
export const MODEL_TABLES: Record<Provider, readonly ModelInfo[]> = {
  openai: OPENAI,
  azure: AZURE,
  compatible: OPENAI,
};

/**
 * How many images one example may hold, per provider: OpenAI's vision fine-tuning guide says 10,
 * Azure's (https://learn.microsoft.com/azure/foundry/openai/how-to/fine-tuning-vision) 64.
 */
export const IMAGES_PER_EXAMPLE: Record<Provider, number> = { openai: 10, azure: 64, compatible: 10 };

/** The size limit assumed for a model the table does not know: the common training context. */
export const UNKNOWN_EXAMPLE_TOKENS = 65_536;
