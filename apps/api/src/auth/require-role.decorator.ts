import { SetMetadata } from '@nestjs/common';
import type { ApiKeyRole } from '@focal/config';

export const REQUIRED_ROLE = 'focal:required-role';

/** Marks a controller or route as needing an API key of at least this role (admin ⊃ inference). */
export const RequireRole = (role: ApiKeyRole) => SetMetadata(REQUIRED_ROLE, role);
