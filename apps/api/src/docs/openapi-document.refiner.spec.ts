import type { OpenAPIObject } from '@nestjs/swagger';
import { buildApiConfig } from '@focal/config';
import { refineOpenApiDocument } from './openapi-document.refiner.js';

function document(): OpenAPIObject {
  return {
    openapi: '3.0.0',
    info: { title: 't', version: '1' },
    paths: {
      '/inference/grounding-dino': { post: { operationId: 'inferGroundingDino', responses: {} } },
      '/inference/grounding_dino': { post: { operationId: 'inferGroundingDino', responses: {} } },
    },
    components: {
      schemas: {
        Sam3RequestDto: {
          type: 'object',
          properties: { images: { type: 'array' }, prompts: { type: 'array', items: { type: 'string' } } },
        },
        ImageObjectDto: { type: 'object', properties: { data: { type: 'string' } } },
        ErrorResponseDto: { type: 'object', properties: { detail: { type: 'string' } } },
        JobDto: { type: 'object', properties: { job_id: { type: 'string' } } },
      },
    },
  };
}

describe('refineOpenApiDocument', () => {
  const limits = buildApiConfig({ FOCAL_MAX_IMAGES: '3', FOCAL_MAX_PROMPTS: '5', FOCAL_MAX_PROMPT_LENGTH: '7' }).limits;
  const refined = refineOpenApiDocument(document(), limits);
  type Node = { properties: Record<string, Node>; items: Node; additionalProperties?: boolean; pattern?: string };
  const schemas = refined.components?.schemas as Record<string, Node>;

  it('writes the configured list and prompt limits into request schemas', () => {
    expect(schemas.Sam3RequestDto.properties.images).toMatchObject({ minItems: 1, maxItems: 3 });
    expect(schemas.Sam3RequestDto.properties.prompts).toMatchObject({ minItems: 1, maxItems: 5 });
    expect(schemas.Sam3RequestDto.properties.prompts.items).toMatchObject({ minLength: 1, maxLength: 7 });
  });

  it('documents the prompt rule InferenceService applies: something left after trim()', () => {
    const nonBlank = new RegExp(schemas.Sam3RequestDto.properties.prompts.items.pattern ?? '');
    const prompts = ['', ' \t\n', '\uFEFF\u00A0\u3000', ' a ', 'person', '\u001C'];
    expect(prompts.map((prompt) => nonBlank.test(prompt))).toEqual(prompts.map((prompt) => prompt.trim() !== ''));
    expect(prompts.filter((prompt) => nonBlank.test(prompt))).toHaveLength(3);
  });

  it('closes response objects and the error body, and leaves request objects open', () => {
    expect(schemas.ErrorResponseDto).toMatchObject({ required: ['detail'], additionalProperties: false });
    expect(schemas.JobDto.additionalProperties).toBe(false);
    expect(schemas.Sam3RequestDto.additionalProperties).toBeUndefined();
    expect(schemas.ImageObjectDto.additionalProperties).toBeUndefined();
  });

  it('gives an alias route an operationId of its own', () => {
    const ids = Object.values(refined.paths).map((item) => item.post?.operationId);
    expect(ids).toEqual(['inferGroundingDino', 'inferGroundingDino_grounding_dino']);
  });
});
