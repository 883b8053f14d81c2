// Models endpoint: retrieve one model (base models and the fine-tuned models jobs produced).
import type { Routes, Services } from './route.ts';

export function modelRoutes({ models }: Services): Routes {
  return {
    retrieveModel: {
      handle({ params }) {
        return { json: models.retrieve(params.model) };
      },
    },
  };
}
