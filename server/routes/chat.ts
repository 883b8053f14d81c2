// Chat completions: a fine-tuned model answers from its training data, a base model a fixed reply
// (server/chat.ts). On Azure the request's `model` is a deployment name, served by the model the
// deployment points at.
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChatRequest, ChatService } from '../chat.ts';
import { invalidRequest } from '../errors.ts';
import type { Routes } from './route.ts';

export interface ChatOptions {
  chat: ChatService;
  /** Every answer waits this long first (an evaluation's benchmark needs a model that takes time). */
  latencyMs: number;
  /** The model a request's `model` names: itself, or on Azure the model its deployment serves now. */
  resolveModel: (model: string, now: number) => string;
}

export function chatRoutes({ chat, latencyMs, resolveModel }: ChatOptions): Routes {
  return {
    createChatCompletion: {
      async handle({ body, now }) {
        const request = body as ChatRequest & { stream?: boolean | null };
        if (request.stream)
          throw invalidRequest(
            'The local API does not stream chat completions: send stream false.',
            'stream',
            'unsupported_value',
          );
        const model = resolveModel(request.model, now);
        if (latencyMs > 0) await sleep(latencyMs);
        return { json: await chat.complete(request, model, now) };
      },
    },
  };
}
