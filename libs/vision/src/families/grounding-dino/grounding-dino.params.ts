import { InvalidInputError } from '@focal/contracts';
import { readNumber, readPrompts } from '../../params/param.readers.js';

export interface GroundingDinoParams {
  /** The prompts as sent (trimmed): the labels returned. */
  prompts: string[];
  /** What the model reads for each prompt: trailing dots removed, since "." separates phrases. */
  phrases: string[];
  boxThreshold: number;
  textThreshold: number;
}

export const GROUNDING_DINO_DEFAULT_THRESHOLDS = { boxThreshold: 0.35, textThreshold: 0.25 } as const;

/**
 * A prompt may end with dots (the "cat." convention of Grounding DINO demos) but hold none inside:
 * an inner "." would split it into two phrases and break the prompt ↔ token-span mapping.
 */
function phraseOf(prompt: string, index: number): string {
  const phrase = prompt.replace(/\.+$/, '').trim();
  if (phrase === '') throw new InvalidInputError(`prompts[${index}] has no text besides dots`);
  if (phrase.includes('.'))
    throw new InvalidInputError(`prompts[${index}] must not contain "." (it separates phrases)`);
  return phrase;
}

export function parseGroundingDinoParams(raw: Record<string, unknown>): GroundingDinoParams {
  const prompts = readPrompts(raw);
  return {
    prompts,
    phrases: prompts.map(phraseOf),
    boxThreshold: readNumber(raw, 'box_threshold', GROUNDING_DINO_DEFAULT_THRESHOLDS.boxThreshold, 0, 1),
    textThreshold: readNumber(raw, 'text_threshold', GROUNDING_DINO_DEFAULT_THRESHOLDS.textThreshold, 0, 1),
  };
}
