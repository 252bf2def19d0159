import { ClassConstructor, plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { InvalidInputError } from '@focal/contracts';
import { messagesOf } from './validation.pipe.js';

/** Validates a plain body against a DTO class chosen at run time (the ValidationPipe needs a static type). */
export async function validateDto<T extends object>(cls: ClassConstructor<T>, plain: unknown): Promise<T> {
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) {
    throw new InvalidInputError('request body must be a JSON object');
  }
  const instance = plainToInstance(cls, plain);
  const errors = await validate(instance, { whitelist: true });
  if (errors.length > 0) throw new InvalidInputError(messagesOf(errors).join('; '));
  return instance;
}
