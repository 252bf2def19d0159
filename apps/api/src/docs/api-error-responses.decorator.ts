import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ERROR_STATUS_DESCRIPTIONS, ErrorResponseDto, type ErrorStatus } from '@focal/contracts';

/** Any route can meet a real fault. */
const ALWAYS: ErrorStatus[] = [500];

/** Documents each error status of a route (and 500) with the `{"detail"}` body. */
export function ApiErrorResponses(...statuses: ErrorStatus[]): MethodDecorator & ClassDecorator {
  const all = [...new Set([...statuses, ...ALWAYS])].sort((a, b) => a - b);
  return applyDecorators(
    ...all.map((status) =>
      ApiResponse({ status, type: ErrorResponseDto, description: ERROR_STATUS_DESCRIPTIONS[status] }),
    ),
  );
}
