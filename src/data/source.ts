/** A training or validation file: already uploaded (an id), or a local JSONL file to upload. */
export type DataSource = { kind: 'id'; id: string } | LocalFile;
/** `path`: resolved, inside the workspace; `given`: as the input wrote it, for messages. */
export type LocalFile = { kind: 'path'; path: string; given: string };
