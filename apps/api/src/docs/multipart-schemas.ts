import type { OpenAPIObject } from '@nestjs/swagger';

type Schema = Record<string, unknown>;

const FILE_LIST: Schema = {
  type: 'array',
  items: { type: 'string', format: 'binary' },
  description:
    'Image files, one part each (repeat the field). Text parts named "images" (base64, a data: URL, or a JSON ' +
    '{"data", "format"} object) are accepted too and come after the files.',
};

/**
 * The `multipart/form-data` body of each route that takes one: the JSON body's fields as form fields (lists as
 * repeated fields or one JSON list), with `images` as file parts. Written from the JSON schemas the DTO
 * decorators produce, so both content types always list the same fields.
 */
export function addMultipartSchemas(document: OpenAPIObject): void {
  const schemas = (document.components?.schemas ?? {}) as Record<string, Schema>;
  for (const path of Object.values(document.paths)) {
    for (const operation of Object.values(path) as Array<{ requestBody?: { content?: Record<string, Schema> } }>) {
      const content = operation?.requestBody?.content;
      if (!content?.['multipart/form-data'] || !content['application/json']) continue;
      const json = content['application/json'].schema as Schema;
      content['multipart/form-data'] = { schema: formSchema(json, schemas) };
    }
  }
}

function formSchema(schema: Schema, schemas: Record<string, Schema>): Schema {
  for (const combiner of ['oneOf', 'anyOf'] as const) {
    const variants = schema[combiner];
    if (Array.isArray(variants)) return { [combiner]: (variants as Schema[]).map((s) => formSchema(s, schemas)) };
  }
  const ref = typeof schema.$ref === 'string' ? schema.$ref.split('/').pop() : undefined;
  const name = ref ? `${ref}Form` : undefined;
  if (name && schemas[name]) return { $ref: `#/components/schemas/${name}` };
  const resolved = ref ? resolveAllOf(schemas[ref], schemas) : schema;
  const form: Schema = {
    ...resolved,
    properties: { ...(resolved.properties as Schema), images: FILE_LIST },
  };
  if (!name) return form;
  schemas[name] = form;
  return { $ref: `#/components/schemas/${name}` };
}

/** Inherited DTO fields may come as allOf parts; a form schema lists them flat. */
function resolveAllOf(schema: Schema, schemas: Record<string, Schema>): Schema {
  if (!Array.isArray(schema.allOf)) return schema;
  const parts = (schema.allOf as Schema[]).map((part) =>
    typeof part.$ref === 'string' ? resolveAllOf(schemas[part.$ref.split('/').pop() as string], schemas) : part,
  );
  return {
    type: 'object',
    properties: Object.assign({}, ...parts.map((p) => p.properties ?? {})),
    required: parts.flatMap((p) => (p.required as string[] | undefined) ?? []),
  };
}
