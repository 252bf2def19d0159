import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { PlaygroundAssets } from './playground.assets.js';

/**
 * The page may talk only to this API: scripts, styles and fetches stay on this origin (no CDN, no
 * third-party calls at run time); images the user drops are shown from blob: URLs.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  // A URL the user types is shown as given (the API fetches it for inference); nothing else leaves this origin.
  "img-src 'self' data: blob: http: https:",
  "style-src 'self' 'unsafe-inline'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
].join('; ');

/** Serves the built browser playground at /playground (open like /docs: the page sends the user's key itself). */
@ApiExcludeController()
@Controller('playground')
export class PlaygroundController {
  constructor(private readonly assets: PlaygroundAssets) {}

  @Get()
  page(@Res() res: Response): void {
    this.send(res, 'index.html');
  }

  @Get(':file')
  asset(@Param('file') file: string, @Res() res: Response): void {
    this.send(res, file);
  }

  private send(res: Response, name: string): void {
    const path = this.assets.pathOf(name);
    res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.sendFile(path, { headers: { 'Cache-Control': 'no-cache' } });
  }
}
