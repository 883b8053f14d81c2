import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { MethodType } from '../../src/facts/methods.js';
import type { Provider } from '../../src/api/provider.js';

// The fixture corpus (test/fixtures/corpus/README.md): its manifest, with each file's path resolved.

export const CORPUS = fileURLToPath(new URL('../fixtures/corpus/', import.meta.url));

export interface FileExpectation {
  examples: number;
  /** Tokens in all, as the check counts them. */
  tokens?: number;
  min?: number;
  max?: number;
  /** What the cookbook's num_tokens_for_tools gives for the file's `tools` fields, summed. */
  toolTokens?: number;
  images?: number;
  /** The images' tokens by the tile rule, worked out by hand from the images' sizes and detail. */
  imageTokens?: number;
}

export interface CorpusCase {
  name: string;
  /** Paths relative to the corpus; `shared:` ones are in ../shared/data, beside the checkout. */
  training: string;
  validation?: string;
  model: string;
  method?: MethodType;
  provider?: Provider;
  /** The check passes the data, then the provider (the local API) refuses to train the model. */
  providerRefusesModel?: boolean;
  expected:
    | {
        valid: true;
        /** Substrings, one per warning shown, in the order shown. */
        warnings: string[];
        training: FileExpectation;
        validation?: FileExpectation;
      }
    | {
        valid: false;
        problems: number;
        /** Line 0 is the file as a whole. */
        error: { line: number; includes: string };
        warnings: string[];
      };
}

interface Manifest {
  shared: string;
  grader: Record<string, unknown>;
  cases: CorpusCase[];
}

const manifest = JSON.parse(readFileSync(path.join(CORPUS, 'corpus.json'), 'utf8')) as Manifest;
export const GRADER = manifest.grader;
export const CASES = manifest.cases;

export function corpusPath(file: string): string {
  return file.startsWith('shared:')
    ? path.resolve(CORPUS, manifest.shared, file.slice('shared:'.length))
    : path.resolve(CORPUS, file);
}

/** Why a case cannot run here (its real data is not beside this checkout), or undefined when it can. */
export function missing(corpusCase: CorpusCase): string | undefined {
  const absent = [corpusCase.training, corpusCase.validation]
    .filter((file): file is string => file !== undefined)
    .filter((file) => !existsSync(corpusPath(file)));
  return absent.length > 0
    ? `${absent.join(', ')} not found (../shared/data is not beside this checkout)`
    : undefined;
}
