import type { Family, ImageInput } from './client.types.js';

/** What the form holds, as plain values (the page reads them from its inputs). */
export interface FormValues {
  prompts: string;
  threshold: number;
  maskThreshold: number;
  outputFormat: string;
  boxThreshold: number;
  textThreshold: number;
  exportFormat: string;
}

/** "cat, traffic light ,, dog" → ["cat", "traffic light", "dog"]. */
export function parsePrompts(text: string): string[] {
  return text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
}

/** The JSON body of /inference/{family} (and /jobs/submit/{family}) for one image: only that family's fields. */
export function requestBody(family: Family, image: ImageInput, form: FormValues): object {
  const images = [image];
  switch (family) {
    case 'sam3':
      return {
        images,
        prompts: parsePrompts(form.prompts),
        threshold: form.threshold,
        mask_threshold: form.maskThreshold,
        output_format: form.outputFormat,
      };
    case 'grounding_dino':
      return {
        images,
        prompts: parsePrompts(form.prompts),
        box_threshold: form.boxThreshold,
        text_threshold: form.textThreshold,
      };
    case 'depth_anything':
      return { images, export_format: form.exportFormat };
    case 'dinov3':
      return { images };
  }
}
