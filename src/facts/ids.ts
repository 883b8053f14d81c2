/**
 * The characters the API's ids (ftjob-..., file-...) are made of. An id from an input or from a
 * note becomes part of a request path, so nothing else is let through.
 */
export const API_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/;
