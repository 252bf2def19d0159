import { Body, Controller, HttpCode, Post, UseInterceptors } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConsumes,
  ApiExtraModels,
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
import { InferenceBody, InferenceService } from './inference.service.js';
import { MultipartBodyInterceptor } from '../uploads/multipart-body.interceptor.js';
import { JsonBodyInterceptor } from './json-body.interceptor.js';

@ApiTags('inference')
@ApiBearerAuth()
@ApiBadRequestResponse({ description: 'Invalid input: {"detail": "..."}' })
@RequireRole('inference')
@ApiConsumes('application/json', 'multipart/form-data')
@ApiExtraModels(CompactTensorDto)
@UseInterceptors(MultipartBodyInterceptor, JsonBodyInterceptor)
@Controller('inference')
export class InferenceController {
  constructor(private readonly inference: InferenceService) {}

  @Post('sam3')
  @HttpCode(200)
  @ApiOperation({ summary: 'Text-prompted instance segmentation (SAM3)' })
  @ApiOkResponse({ type: Sam3ResponseDto })
  sam3(@Body() body: Sam3RequestDto) {
    return this.inference.run('sam3', body as unknown as InferenceBody);
  }

  @Post(['grounding-dino', 'grounding_dino'])
  @HttpCode(200)
  @ApiOperation({ summary: 'Open-vocabulary object detection (Grounding DINO)' })
  @ApiOkResponse({ type: GroundingDinoResponseDto })
  groundingDino(@Body() body: GroundingDinoRequestDto) {
    return this.inference.run('grounding_dino', body as unknown as InferenceBody);
  }

  @Post(['depth-anything', 'depth_anything'])
  @HttpCode(200)
  @ApiOperation({ summary: 'Monocular depth (Depth Anything): 16-bit PNG, GLB point cloud or npy' })
  @ApiOkResponse({ type: DepthAnythingResponseDto })
  depthAnything(@Body() body: DepthAnythingRequestDto) {
    return this.inference.run('depth_anything', body as unknown as InferenceBody);
  }

  @Post('dinov3')
  @HttpCode(200)
  @ApiOperation({ summary: 'Dense features (DINOv3)' })
  @ApiOkResponse({ type: Dinov3ResponseDto })
  dinov3(@Body() body: Dinov3RequestDto) {
    return this.inference.run('dinov3', body as unknown as InferenceBody);
  }
}
