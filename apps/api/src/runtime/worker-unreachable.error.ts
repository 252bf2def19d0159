import { UpstreamError } from '@focal/contracts';

/**
 * The worker could not be reached at all (refused, reset, no route): the request never ran there, so
 * routing may safely send it to another replica. A timeout is not this: the work may have been done.
 */
export class WorkerUnreachableError extends UpstreamError {}
