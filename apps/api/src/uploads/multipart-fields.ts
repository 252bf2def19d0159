import { InvalidInputError } from '@focal/contracts';

/** An uploaded file part, as the multipart parser hands it over. */
export interface UploadedPart {
  fieldname: string;
  buffer: Buffer;
}

/** Fields that are lists: sent as repeated parts (`prompts=a`, `prompts=b`) or as one JSON list. */
const LIST_FIELDS = new Set(['images', 'prompts']);
const IMAGE_FIELDS = new Set(['images', 'images[]']);

/**
 * Turns a multipart form into the JSON body the same route takes, so validation and limits are the JSON
 * path's: file parts named `images` become the images (base64, in order; API↔worker bytes stay raw), text
 * parts `images` (base64 strings, data: URLs or a JSON {"data", "format"} object) follow them. Text values
 * that are JSON numbers, booleans or null become those ("0.5" → 0.5); everything else stays a string.
 */
export function multipartBody(
  fields: Record<string, unknown>,
  files: readonly UploadedPart[],
): Record<string, unknown> {
  const stray = files.find((file) => !IMAGE_FIELDS.has(file.fieldname));
  if (stray) throw new InvalidInputError(`file part "${stray.fieldname}" is not expected (send images as "images")`);
  const body: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(fields)) {
    const key = name.endsWith('[]') ? name.slice(0, -2) : name;
    const values = Array.isArray(raw) ? raw : [raw];
    if (values.some((value) => typeof value !== 'string')) {
      throw new InvalidInputError(`form field "${name}" must be plain text (nested field names are not supported)`);
    }
    if (LIST_FIELDS.has(key)) body[key] = [...((body[key] as unknown[]) ?? []), ...values.flatMap(listItems)];
    else if (values.length > 1 || key in body)
      throw new InvalidInputError(`form field "${key}" is given more than once`);
    else body[key] = scalar(values[0] as string);
  }
  const images = files.map((file) => file.buffer.toString('base64'));
  const textImages = (body.images as unknown[] | undefined) ?? [];
  body.images = [...images, ...textImages.map(imageField)];
  return body;
}

function listItems(value: string): unknown[] {
  if (!value.trimStart().startsWith('[')) return [value];
  try {
    const parsed: unknown = JSON.parse(value);
    if (Array.isArray(parsed)) return parsed;
  } catch {
    // Not JSON: a prompt may well start with "[".
  }
  return [value];
}

function imageField(value: unknown): unknown {
  if (typeof value !== 'string' || !value.trimStart().startsWith('{')) return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    throw new InvalidInputError('an "images" form field that starts with "{" must be a JSON {"data", "format"} object');
  }
}

function scalar(value: string): unknown {
  const trimmed = value.trim();
  if (trimmed === 'true' || trimmed === 'false' || trimmed === 'null') return JSON.parse(trimmed);
  if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(trimmed)) return Number(trimmed);
  return value;
}
