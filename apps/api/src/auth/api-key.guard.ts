import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import type { ApiConfig, ApiKeyRole } from '@focal/config';
import { ForbiddenError, UnauthorizedError } from '@focal/contracts';
import { API_CONFIG } from '../config/api-config.token.js';
import { REQUIRED_ROLE } from './require-role.decorator.js';

function presentedKey(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (header?.toLowerCase().startsWith('bearer ')) return header.slice(7).trim();
  const apiKey = req.headers['x-api-key'];
  return typeof apiKey === 'string' ? apiKey.trim() : undefined;
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Optional API-key auth (FOCAL_API_KEYS). Off when no key is configured. An admin key opens every
 * route; an inference key opens /inference/* and /jobs/*. Missing or unknown key → 401, weaker role → 403.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const required = this.reflector.getAllAndOverride<ApiKeyRole | undefined>(REQUIRED_ROLE, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!required || this.config.apiKeys.length === 0) return true;
    const key = presentedKey(context.switchToHttp().getRequest<Request>());
    if (!key) throw new UnauthorizedError('API key required: send "Authorization: Bearer <key>" or "X-API-Key"');
    const match = this.config.apiKeys.find((candidate) => sameSecret(candidate.key, key));
    if (!match) throw new UnauthorizedError('invalid API key');
    if (required === 'admin' && match.role !== 'admin') throw new ForbiddenError('this route needs an admin API key');
    return true;
  }
}
