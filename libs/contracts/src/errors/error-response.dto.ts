import { ApiProperty } from '@nestjs/swagger';

/** The one error body: every 4xx and 5xx is exactly `{"detail": "..."}`, nothing else. */
export class ErrorResponseDto {
  @ApiProperty({
    description: 'What went wrong, for a person to read. Never a stack trace.',
    example: 'images[0] is not valid base64',
  })
  detail!: string;
}

/** What each error status means across the API, for the OpenAPI document. */
export const ERROR_STATUS_DESCRIPTIONS = {
  400: 'Invalid input: validation, bad base64, not a raster image, too many pixels/images/prompts, a body too deep or wide.',
  401: 'No API key, or an unknown one (only when FOCAL_API_KEYS is set).',
  403: 'The API key’s role does not open this route.',
  404: 'Unknown job or model type, or a model that is not loaded while auto-load is off.',
  409: 'A running job cannot be cancelled.',
  413: 'An image or the body is above its byte limit.',
  429: 'Rate limited; retry after the seconds in Retry-After.',
  500: 'A real fault on the server (never a stack trace).',
  501: 'The served model does not implement this.',
  502: 'The inference worker failed or answered garbage.',
  503: 'A model could not become ready, a backing service is down, or the server is full (Retry-After when it will pass).',
} as const;
export type ErrorStatus = keyof typeof ERROR_STATUS_DESCRIPTIONS;
