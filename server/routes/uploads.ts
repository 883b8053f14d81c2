// Uploads endpoints: create, add a part (multipart), complete, cancel.
import { invalidRequest } from '../errors.ts';
import type { NewUpload } from '../uploads.ts';
import type { Routes, Services } from './route.ts';

export function uploadRoutes({ uploads, limits }: Services): Routes {
  return {
    createUpload: {
      handle({ body, now }) {
        return { json: uploads.view(uploads.create(body as NewUpload, now), now) };
      },
    },

    addUploadPart: {
      upload: { maxFileBytes: limits.maxPartBytes, jsonl: false },
      async handle({ params, form, now }) {
        const upload = uploads.require(params.upload_id);
        const data = form!.files.find((file) => file.field === 'data');
        if (!data)
          throw invalidRequest("Missing required parameter: 'data'.", 'data', 'missing_required_parameter');
        const part = await uploads.addPart(upload, data.path, data.stats.bytes, now);
        return { json: uploads.partView(upload, part) };
      },
    },

    completeUpload: {
      async handle({ params, body, now }) {
        const { part_ids, md5 } = body as { part_ids: string[]; md5?: string };
        const upload = await uploads.complete(uploads.require(params.upload_id), part_ids, md5, now);
        return { json: uploads.view(upload, now) };
      },
    },

    cancelUpload: {
      async handle({ params, now }) {
        const upload = await uploads.cancel(uploads.require(params.upload_id), now);
        return { json: uploads.view(upload, now) };
      },
    },
  };
}
