// Chat completions from the models the stand-in knows, deterministic so that an evaluation's
// figures can be predicted: a model fine-tuned here answers a prompt it was trained on with the
// answer it was trained on, and everything else (and every base model) with FIXED_REPLY.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { ChatCompletion, ChatCompletionCreateParamsBase } from 'openai/resources/chat/completions';
import type { FileStore } from './files.ts';
import { randomToken, unixSeconds } from './ids.ts';
import type { Job } from './job.ts';
import type { JobStore } from './jobs.ts';
import type { ModelCatalog } from './models.ts';
import { contentText, counter, encodingFor, messagesTokens, truncate } from './tokens.ts';

/** What every base model answers, and a fine-tuned one to a prompt it was not trained on. */
export const FIXED_REPLY = "I don't know.";

/** The request as the contract check lets it through. */
export type ChatRequest = Pick<
  ChatCompletionCreateParamsBase,
  'model' | 'messages' | 'max_completion_tokens' | 'max_tokens' | 'n'
>;

/** A trained model's answers by its whole prompt, and by the prompt's last user message. */
interface Answers {
  byPrompt: Map<string, string>;
  byLastUser: Map<string, string>;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A prompt's identity: each message's role and text, in order. */
function promptKey(messages: unknown[]): string {
  return JSON.stringify(messages.map((m) => (isObject(m) ? [m.role, contentText(m.content)] : null)));
}

function lastUserText(messages: unknown[]): string | undefined {
  const last = messages.findLast((m) => isObject(m) && m.role === 'user') as Json | undefined;
  return last && contentText(last.content);
}

/** The prompt and trained answer of one training example (chat, prompt-completion or dpo). */
function trainedPair(example: unknown): { prompt: unknown[]; answer: string } | null {
  if (!isObject(example)) return null;
  if (isObject(example.input) && Array.isArray(example.input.messages)) {
    const preferred = Array.isArray(example.preferred_output) ? example.preferred_output[0] : undefined;
    return isObject(preferred)
      ? { prompt: example.input.messages, answer: contentText(preferred.content) }
      : null;
  }
  if (Array.isArray(example.messages)) {
    const messages = example.messages as unknown[];
    const at = messages.findLastIndex((m) => isObject(m) && m.role === 'assistant');
    if (at < 1) return null;
    return { prompt: messages.slice(0, at), answer: contentText((messages[at] as Json).content) };
  }
  if (typeof example.prompt === 'string' && typeof example.completion === 'string')
    return { prompt: [{ role: 'user', content: example.prompt }], answer: example.completion };
  return null;
}

export class ChatService {
  /** Answers read from each training file, on the first question to a model trained on it. */
  private readonly answers = new Map<string, Promise<Answers>>();

  private readonly files: FileStore;
  private readonly jobs: JobStore;
  private readonly models: ModelCatalog;

  constructor(files: FileStore, jobs: JobStore, models: ModelCatalog) {
    this.files = files;
    this.jobs = jobs;
    this.models = models;
  }

  /**
   * Answers `request` as `model` (the id a client asked for, or on Azure the model a deployment
   * serves); throws the API's 404 for a model it does not know.
   */
  async complete(request: ChatRequest, model: string, now: number): Promise<ChatCompletion> {
    const job = this.jobs.trainedModel(model, now);
    // A base model by its alias answers as its snapshot, as the API names it.
    const served = job ? model : this.models.snapshotOf(model);
    const answers = job ? await this.answersOf(job, now) : null;
    const messages = request.messages as unknown[];
    const trained =
      answers?.byPrompt.get(promptKey(messages)) ??
      answers?.byLastUser.get(lastUserText(messages) ?? '\u0000');
    const encoding = encodingFor(served);
    const cap = request.max_completion_tokens ?? request.max_tokens;
    const { text, cut } =
      cap == null
        ? { text: trained ?? FIXED_REPLY, cut: false }
        : truncate(trained ?? FIXED_REPLY, cap, encoding);
    const count = counter(encoding);
    const promptTokens = messagesTokens(messages, count);
    const completionTokens = count(text);
    const n = request.n ?? 1;
    return {
      id: `chatcmpl-${randomToken(29)}`,
      object: 'chat.completion',
      created: unixSeconds(now),
      model: served,
      system_fingerprint: 'fp_local',
      choices: Array.from({ length: n }, (_, index) => ({
        index,
        message: { role: 'assistant' as const, content: text, refusal: null, annotations: [] },
        finish_reason: cut ? ('length' as const) : ('stop' as const),
        logprobs: null,
      })),
      usage: {
        prompt_tokens: promptTokens,
        completion_tokens: completionTokens * n,
        total_tokens: promptTokens + completionTokens * n,
      },
    };
  }

  private answersOf(job: Job, now: number): Promise<Answers> {
    const id = job.input.trainingFile;
    let answers = this.answers.get(id);
    if (!answers) {
      answers = this.read(id, now);
      this.answers.set(id, answers);
    }
    return answers;
  }

  // First wins where examples share a prompt. A training file deleted before the model is first
  // asked leaves it nothing to remember: it answers FIXED_REPLY.
  private async read(fileId: string, now: number): Promise<Answers> {
    const answers: Answers = { byPrompt: new Map(), byLastUser: new Map() };
    const file = this.files.get(fileId, now);
    if (!file) return answers;
    const lines = createInterface({ input: createReadStream(file.path, 'utf8'), crlfDelay: Infinity });
    for await (const line of lines) {
      if (line.trim() === '') continue;
      let pair: ReturnType<typeof trainedPair>;
      try {
        pair = trainedPair(JSON.parse(line));
      } catch {
        continue;
      }
      if (!pair) continue;
      const key = promptKey(pair.prompt);
      if (!answers.byPrompt.has(key)) answers.byPrompt.set(key, pair.answer);
      const user = lastUserText(pair.prompt);
      if (user !== undefined && !answers.byLastUser.has(user)) answers.byLastUser.set(user, pair.answer);
    }
    return answers;
  }
}
