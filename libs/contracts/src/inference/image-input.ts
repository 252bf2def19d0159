import { ApiProperty, ApiPropertyOptions } from '@nestjs/swagger';
import { registerDecorator, ValidationOptions } from 'class-validator';

export const IMAGE_FORMATS = ['base64', 'url'] as const;
export type ImageFormat = (typeof IMAGE_FORMATS)[number];

/** The object form of an image: base64 (a `data:` URL prefix is allowed) or an http(s) URL the API fetches. */
export class ImageObjectDto {
  @ApiProperty({ description: 'Base64 image bytes (optionally a data: URL), or an http(s) URL when format is "url".' })
  data!: string;

  @ApiProperty({ enum: IMAGE_FORMATS, default: 'base64', description: 'How `data` is to be read.' })
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
  items: { oneOf: [{ type: 'string', format: 'byte' }, { $ref: '#/components/schemas/ImageObjectDto' }] },
};
