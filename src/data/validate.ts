import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

export interface JsonlCheck {
  examples: number;
}

/**
 * Reads a JSONL file line by line (never whole) and returns the number of examples, or throws
 * naming the first line that the API would reject because it is not a JSON object.
 */
export async function checkJsonl(filePath: string): Promise<JsonlCheck> {
  const lines = createInterface({ input: createReadStream(filePath), crlfDelay: Infinity });
  let lineNumber = 0;
  let examples = 0;
  for await (const line of lines) {
    lineNumber += 1;
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new Error(`line ${lineNumber} is not valid JSON`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new Error(`line ${lineNumber} is not a JSON object`);
    }
    examples += 1;
  }
  if (examples === 0) throw new Error('holds no examples');
  return { examples };
}
