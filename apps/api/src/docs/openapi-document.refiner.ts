import type { OpenAPIObject } from '@nestjs/swagger';
import type { RequestLimits } from '@focal/config';

type Schema = {
  properties?: Record<string, Schema>;
  items?: Schema;
  required?: string[];
  additionalProperties?: boolean;
  minItems?: number;
  maxItems?: number;
  maxLength?: number;
  minLength?: number;
};
type Operation = { operationId?: string };

/** A string with at least one character that `trim()` keeps. */
const NON_BLANK = { minLength: 1, pattern: '[^\\s\\uFEFF]' };

/** Schemas of request bodies and queries; every other named schema describes a response. */
const REQUEST_SCHEMAS = /(RequestDto|QueryDto|^ImageObjectDto)$/;

/**
 * Facts the decorators cannot know, written into the generated document so it says exactly what this server
 * enforces (the schema fuzzer holds the server to it):
 * - the configured list and prompt limits (they are read at boot, not fixed in the DTOs), and that a prompt needs a
 *   character other than white space (InferenceService trims it; U+FEFF is listed since Python's \s, which the
 *   fuzzer generates with, leaves it out while String.prototype.trim strips it);
 * - the error body is `{"detail"}` and nothing else, and every response object has exactly its documented fields
 *   (request objects stay open: the validation pipe drops unknown fields rather than refusing them);
 * - alias routes (`/inference/grounding_dino`) get their own operationId, since one handler serves both spellings.
 */
export function refineOpenApiDocument(document: OpenAPIObject, limits: RequestLimits): OpenAPIObject {
  const schemas = (document.components?.schemas ?? {}) as Record<string, Schema>;
  for (const schema of Object.values(schemas)) {
    const { images, prompts } = schema.properties ?? {};
    if (images) Object.assign(images, { minItems: 1, maxItems: limits.maxImages });
    if (prompts) {
      Object.assign(prompts, { minItems: 1, maxItems: limits.maxPrompts });
      if (prompts.items) Object.assign(prompts.items, { ...NON_BLANK, maxLength: limits.maxPromptLength });
    }
  }
  for (const [name, schema] of Object.entries(schemas)) {
    if (!REQUEST_SCHEMAS.test(name) && schema.properties) schema.additionalProperties = false;
  }
  schemas.ErrorResponseDto.required = ['detail'];
  uniqueOperationIds(document);
  return document;
}

function uniqueOperationIds(document: OpenAPIObject): void {
  const seen = new Set<string>();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const operation of Object.values(item) as Operation[]) {
      if (typeof operation !== 'object' || !operation?.operationId) continue;
      if (seen.has(operation.operationId)) operation.operationId += `_${path.split('/').pop()}`;
      seen.add(operation.operationId);
    }
  }
}
