import { LightResponse } from './fetch.js';
import { LightHeaders } from './headers.js';

// Imported first by the action's entry, so that it runs before the `openai` SDK's modules load.
// The SDK reads `globalThis.Headers` as it loads (to recognise built-in classes), builds every
// request's headers with it, and sorts request bodies and upload values with `instanceof
// FormData` and `instanceof Response`. In Node each of those brings in the whole of undici, the
// fetch the action does not use (see `./fetch.ts`). Assigned rather than defined: Node's lazy
// globals load undici when read or redefined, not when replaced by assignment. Only the bundle's
// entry does this: test runners such as nock's interceptors need the real classes.

/**
 * Nothing in the action builds a FormData: the SDK streams every upload as multipart itself
 * (`uploadFile` and `addUploadPart` in `../client.ts`), so no value is ever an instance of this,
 * which is all the SDK's checks ask. Should a later SDK build one, it fails here, saying why.
 */
class NoFormData {
  constructor() {
    throw new TypeError(
      'FormData is not available in this action: its uploads are streamed (src/http/globals.ts)',
    );
  }
}

globalThis.Headers = LightHeaders as unknown as typeof Headers;
globalThis.Response = LightResponse as unknown as typeof Response;
globalThis.FormData = NoFormData as unknown as typeof FormData;
