import { ValidationError, ValidationPipe } from '@nestjs/common';
import { InvalidInputError } from '@focal/contracts';

export function messagesOf(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((error) => {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {});
    return [...own, ...messagesOf(error.children ?? [], path)];
  });
}

/** class-validator on every body and query, failing as one InvalidInputError listing every message. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    exceptionFactory: (errors) => new InvalidInputError(messagesOf(errors).join('; ') || 'Invalid request'),
  });
}
