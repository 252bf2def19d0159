import { EXAMPLE_IMAGE_BASE64 } from '@focal/contracts';

/**
 * OpenAPI links from the model operations, which the stateful fuzzer (tools/fuzz) follows: a loaded model is used
 * (inference, a job for its type) or unloaded, and an unloaded model is loaded again without waiting, which is the
 * only way a sequence reaches a load's 202 (a ready model answers 200 even with wait=false).
 *
 * The load and unload links carry `x-schemathesis.merge_body: false`: their body is sent as it is, not merged into a
 * generated one (whose random model_id would make the load a 400). Inference and job links cannot: schemathesis
 * 4.32.5 cannot pick a media type for a fixed body when an operation takes JSON and multipart ("Can not detect
 * appropriate media type"), so their bodies are merged, and valid images come from the fuzz hooks' `byte` format.
 */
const AS_IS = { 'x-schemathesis': { merge_body: false } } as const;

/** A body every family accepts (dinov3 and depth-anything drop the prompts). */
const EXAMPLE_BODY = { images: [EXAMPLE_IMAGE_BASE64], prompts: ['object'] };

const inferLink = (operationId: string) => ({ operationId, requestBody: EXAMPLE_BODY });

/** From a load, 200 (ready) or 202 (loading): the job's `model_type` path parameter is the type just loaded. */
export const LOADED_MODEL_LINKS = {
  SubmitJob: {
    operationId: 'submitJob',
    parameters: { model_type: '$response.body#/model_type' },
    requestBody: EXAMPLE_BODY,
  },
  InferSam3: inferLink('inferSam3'),
  InferGroundingDino: inferLink('inferGroundingDino'),
  InferDepthAnything: inferLink('inferDepthAnything'),
  InferDinov3: inferLink('inferDinov3'),
};

/** From a load's 200 only: a ready model can be unloaded (a loading one would be cancelled, another path). */
export const READY_MODEL_LINKS = {
  ...LOADED_MODEL_LINKS,
  UnloadModel: {
    operationId: 'unloadModel',
    requestBody: { model_type: '$response.body#/model_type' },
    ...AS_IS,
  },
};

/**
 * From an unload: load the same type again without waiting, so the answer is a 202 (loading). The type is the one
 * the unload was asked for, not `unloaded[0]` of its answer: after an unload the type is stopped either way, and
 * `unloaded` is empty when it was not running, which would leave the link nothing to send.
 */
export const UNLOADED_MODEL_LINKS = {
  LoadModel: {
    operationId: 'loadModel',
    requestBody: { model_type: '$request.body#/model_type', wait: false },
    ...AS_IS,
  },
};
