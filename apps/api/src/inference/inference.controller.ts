import { Body, Controller, HttpCode, Post, UseInterceptors } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConsumes,
  ApiExtraModels,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import {
  CompactTensorDto,
  DepthAnythingRequestDto,
  DepthAnythingResponseDto,
  Dinov3RequestDto,
  Dinov3ResponseDto,
  GroundingDinoRequestDto,
  GroundingDinoResponseDto,
  Sam3RequestDto,
  Sam3ResponseDto,
} from '@focal/contracts';
import { RequireRole } from '../auth/require-role.decorator.js';
import { ApiErrorResponses } from '../docs/api-error-responses.decorator.js';
import { ModelRequestInterceptor } from '../models/model-request.interceptor.js';
import { InferenceBody, InferenceService } from './inference.service.js';
import { MultipartBodyInterceptor } from '../uploads/multipart-body.interceptor.js';
import { JsonBodyInterceptor } from './json-body.interceptor.js';

@ApiTags('inference')
@ApiBearerAuth()
@ApiErrorResponses(400, 401, 403, 404, 413, 429, 501, 502, 503)
@RequireRole('inference')
@ApiHeader({
  name: 'Prefer',
  required: false,
  description:
    'RFC 7240 `wait=N`: when the model is cold and expected to take longer than N s to load, answer 503 with ' +
    'Retry-After at once (the load goes on) instead of holding the request. Answers say X-Model-Cold-Start and, ' +
    'when cold, X-Model-Load-Time.',
})
@ApiConsumes('application/json', 'multipart/form-data')
@ApiExtraModels(CompactTensorDto)
// JsonBodyInterceptor outermost: it writes the final value, after ModelRequestInterceptor set the cold-start headers.
@UseInterceptors(JsonBodyInterceptor, MultipartBodyInterceptor, ModelRequestInterceptor)
@Controller('inference')
export class InferenceController {
  constructor(private readonly inference: InferenceService) {}

  @Post('sam3')
  @HttpCode(200)
  @ApiOperation({ operationId: 'inferSam3', summary: 'Text-prompted instance segmentation (SAM3)' })
  @ApiOkResponse({ type: Sam3ResponseDto })
  sam3(@Body() body: Sam3RequestDto) {
    return this.inference.run('sam3', body as unknown as InferenceBody);
  }

  @Post(['grounding-dino', 'grounding_dino'])
  @HttpCode(200)
  @ApiOperation({ operationId: 'inferGroundingDino', summary: 'Open-vocabulary object detection (Grounding DINO)' })
  @ApiOkResponse({ type: GroundingDinoResponseDto })
  groundingDino(@Body() body: GroundingDinoRequestDto) {
    return this.inference.run('grounding_dino', body as unknown as InferenceBody);
  }

  @Post(['depth-anything', 'depth_anything'])
  @HttpCode(200)
  @ApiOperation({
    operationId: 'inferDepthAnything',
    summary: 'Monocular depth (Depth Anything): 16-bit PNG, GLB point cloud or npy',
  })
  @ApiOkResponse({ type: DepthAnythingResponseDto })
  depthAnything(@Body() body: DepthAnythingRequestDto) {
    return this.inference.run('depth_anything', body as unknown as InferenceBody);
  }

  @Post('dinov3')
  @HttpCode(200)
  @ApiOperation({ operationId: 'inferDinov3', summary: 'Dense features (DINOv3)' })
  @ApiOkResponse({ type: Dinov3ResponseDto })
  dinov3(@Body() body: Dinov3RequestDto) {
    return this.inference.run('dinov3', body as unknown as InferenceBody);
  }
}
