// Which API the stand-in plays. OpenAI's own; Azure OpenAI's v1 data plane (Microsoft's spec, its
// key header, Entra tokens and ARM deployments); or a provider that copies OpenAI's API loosely.
import type { FileStatuses } from './files.ts';

export type Profile = 'openai' | 'azure' | 'compatible';

export const PROFILES: readonly Profile[] = ['openai', 'azure', 'compatible'];

export interface ProfileRules {
  /** Where the API's paths start, as the real service's base URL ends. */
  basePath: string;
  uploads: boolean;
  pauseResume: boolean;
  /** Whether a job shows the `metadata` it was created with (else `null`). */
  echoMetadata: boolean;
  /** What `metadataFilter` is unless the server is told otherwise. */
  metadataFilter: 'honoured' | 'ignored';
  /** `openai`: uploaded, processed; `azure`: pending, running, processed; `none`: always null. */
  fileStatuses: FileStatuses;
  /** `openai`: ft:base:org:suffix:id; `azure`: base.ft-<32 hex>[-suffix]. */
  modelNames: 'openai' | 'azure';
  /** Hyperparameters accepted beyond those of the method. */
  extraHyperparameters: readonly string[];
  /** Whether job creation checks Azure's `trainingType` (standard, globalstandard, developer). */
  trainingType: boolean;
  /**
   * Whether `GET /files/{id}/content` serves files of purpose `fine-tune`. OpenAI refuses them (400
   * `Not allowed to download files of purpose: fine-tune`) and serves only result files.
   */
  downloadsFineTuneFiles: boolean;
}

export const PROFILE_RULES: Record<Profile, ProfileRules> = {
  openai: {
    basePath: '/v1',
    uploads: true,
    pauseResume: true,
    echoMetadata: true,
    metadataFilter: 'honoured',
    fileStatuses: 'openai',
    modelNames: 'openai',
    extraHyperparameters: [],
    trainingType: false,
    downloadsFineTuneFiles: false,
  },
  azure: {
    basePath: '/openai/v1',
    uploads: false,
    pauseResume: true,
    echoMetadata: true,
    metadataFilter: 'ignored',
    fileStatuses: 'azure',
    modelNames: 'azure',
    extraHyperparameters: [],
    trainingType: true,
    downloadsFineTuneFiles: true,
  },
  compatible: {
    basePath: '/v1',
    uploads: false,
    pauseResume: false,
    echoMetadata: false,
    metadataFilter: 'ignored',
    fileStatuses: 'none',
    modelNames: 'openai',
    extraHyperparameters: ['lora_r', 'lora_alpha', 'lora_dropout', 'packing'],
    trainingType: false,
    downloadsFineTuneFiles: true,
  },
};
