import { ApiProperty, ApiPropertyOptional, ApiPropertyOptions } from '@nestjs/swagger';
import { registerDecorator, ValidationOptions } from 'class-validator';

export const IMAGE_FORMATS = ['base64', 'url'] as const;
export type ImageFormat = (typeof IMAGE_FORMATS)[number];

/** An 8×8 RGB PNG: the documented example, so the docs' "try it out" and the schema fuzzer's examples infer. */
export const EXAMPLE_IMAGE_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAACXBIWXMAAAPoAAAD6AG1e1JrAAAA00lEQVQI1wHIADf/AAAdOld0ka7L6AUiP1x5lrPQ7QonRGF+mwC41fIPLElmg6C92vcUMU5riKXC3/wZNlMAcI2qx+QBHjtYdZKvzOkGI0Bdepe00e4LAChFYn+cudbzEC1KZ4Shvtv4FTJPbImmwwDg/Ro3VHGOq8jlAh88WXaTsM3qByRBXnsAmLXS7wwpRmOAnbrX9BEuS2iFor/c+RYzAFBtiqfE4f4bOFVyj6zJ5gMgPVp3lLHO6wAIJUJffJm20/ANKkdkgZ672PUSL0xphqNXtF4h517l5gAAAABJRU5ErkJggg==';

/** The object form of an image: base64 (a `data:` URL prefix is allowed) or an http(s) URL the API fetches. */
export class ImageObjectDto {
  @ApiProperty({
    minLength: 1,
    description: 'Base64 image bytes (optionally a data: URL), or an http(s) URL when format is "url".',
    example: EXAMPLE_IMAGE_BASE64,
  })
  data!: string;

  @ApiPropertyOptional({ enum: IMAGE_FORMATS, default: 'base64', description: 'How `data` is to be read.' })
  format?: ImageFormat;
}

/** Each image is a bare base64 string or `{data, format}`. */
export type ImageInput = string | ImageObjectDto;

function isImageInput(value: unknown): boolean {
  if (typeof value === 'string') return value.length > 0;
  if (typeof value !== 'object' || value === null) return false;
  const { data, format } = value as Record<string, unknown>;
  const formatOk = format === undefined || (IMAGE_FORMATS as readonly unknown[]).includes(format);
  return typeof data === 'string' && data.length > 0 && formatOk;
}

/** Validates a non-empty list of image inputs. The count limit is configurable and checked by the service. */
export function IsImageInputList(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isImageInputList',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message:
          'images must be a non-empty list of base64 strings or {"data": string, "format": "base64" | "url"} objects',
        ...options,
      },
      validator: {
        validate: (value: unknown) => Array.isArray(value) && value.length > 0 && value.every(isImageInput),
      },
    });
}

export const IMAGES_API_PROPERTY: ApiPropertyOptions = {
  description:
    'Images, each a base64 string (a data: URL prefix is allowed) or {"data", "format": "base64" | "url"}. ' +
    'URLs are fetched by the API through an SSRF guard.',
  type: 'array',
  // `byte` (base64): what a bare string is, so a generator makes base64 rather than any text; the data: URL
  // prefix is accepted on top of it.
  items: {
    oneOf: [{ type: 'string', format: 'byte', minLength: 1 }, { $ref: '#/components/schemas/ImageObjectDto' }],
  },
  example: [EXAMPLE_IMAGE_BASE64],
};
