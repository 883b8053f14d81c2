// Files endpoints: upload (multipart), list, retrieve, download, delete.
import { createReadStream } from 'node:fs';
import { invalidRequest } from '../errors.ts';
import type { FilePurpose } from '../files.ts';
import { page, parseLimit } from '../paging.ts';
import { listReply, type Routes, type Services } from './route.ts';

export function fileRoutes({ files, limits, rules }: Services): Routes {
  return {
    createFile: {
      upload: { maxFileBytes: limits.maxFileBytes, jsonl: true },
      async handle({ form, now }) {
        const purpose = form!.fields.purpose;
        const received = form!.files.find((file) => file.field === 'file');
        // The contract check catches these first; they stay for servers run without it.
        if (!purpose)
          throw invalidRequest(
            "Missing required parameter: 'purpose'.",
            'purpose',
            'missing_required_parameter',
          );
        if (!received)
          throw invalidRequest("Missing required parameter: 'file'.", 'file', 'missing_required_parameter');
        const seconds = form!.fields['expires_after[seconds]'];
        const file = await files.adopt(
          received.path,
          {
            filename: received.filename,
            purpose: purpose as FilePurpose,
            expiresAfterSeconds: seconds === undefined ? null : Number(seconds),
          },
          received.stats,
          now,
        );
        return { json: files.view(file, now) };
      },
    },

    listFiles: {
      handle({ query, now }) {
        const purpose = query.get('purpose');
        const ordered = files.list(now).filter((file) => purpose === null || file.purpose === purpose);
        if (query.get('order') !== 'asc') ordered.reverse();
        const views = ordered.map((file) => files.view(file, now));
        const { data, hasMore } = page(views, query.get('after'), parseLimit(query, 10_000, 10_000));
        return listReply(data, hasMore, true);
      },
    },

    retrieveFile: {
      handle({ params, now }) {
        return { json: files.view(files.require(params.file_id, now), now) };
      },
    },

    downloadFile: {
      handle({ params, now }) {
        const file = files.require(params.file_id, now);
        if (file.purpose === 'assistants' || (file.purpose === 'fine-tune' && !rules.downloadsFineTuneFiles))
          throw invalidRequest(`Not allowed to download files of purpose: ${file.purpose}`);
        return {
          stream: createReadStream(file.path),
          contentType: 'application/octet-stream',
          bytes: file.stats.bytes,
        };
      },
    },

    deleteFile: {
      async handle({ params, now }) {
        const file = files.require(params.file_id, now);
        await files.delete(file.id);
        return { json: { id: file.id, object: 'file', deleted: true } };
      },
    },
  };
}
