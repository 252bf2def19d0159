import { Injectable, PipeTransform } from '@nestjs/common';
import { MODEL_TYPES, ModelType, NotFoundError, parseModelType } from '@focal/contracts';

/** Route and body spellings (`grounding-dino`, `grounding_dino`) → the canonical ModelType, else 404. */
export function requireModelType(raw: string): ModelType {
  const type = parseModelType(raw);
  if (!type) throw new NotFoundError(`unknown model type "${raw}"; use one of ${MODEL_TYPES.join(', ')}`);
  return type;
}

@Injectable()
export class ModelTypePipe implements PipeTransform<string, ModelType> {
  transform(value: string): ModelType {
    return requireModelType(value);
  }
}
