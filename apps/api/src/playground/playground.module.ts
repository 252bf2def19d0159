import { DynamicModule, Module } from '@nestjs/common';
import { PlaygroundAssets } from './playground.assets.js';
import { PlaygroundController } from './playground.controller.js';

/** /playground: the static bundle of apps/playground, found by path (apps never import each other). */
@Module({})
export class PlaygroundModule {
  static forRoot(dir: string | undefined): DynamicModule {
    return {
      module: PlaygroundModule,
      controllers: [PlaygroundController],
      providers: [{ provide: PlaygroundAssets, useValue: new PlaygroundAssets(dir) }],
    };
  }
}
