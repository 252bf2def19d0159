import {
  ConflictError,
  ForbiddenError,
  FocalError,
  InvalidInputError,
  ModelUnavailableError,
  NotFoundError,
  NotImplementedError,
  PayloadTooLargeError,
  UnauthorizedError,
  UpstreamError,
  errorFromStatus,
  isTransientError,
} from './domain.errors.js';

type ErrorClass = new (message: string) => FocalError;

describe('FocalError subclasses', () => {
  it.each<[ErrorClass, number]>([
    [InvalidInputError, 400],
    [UnauthorizedError, 401],
    [ForbiddenError, 403],
    [NotFoundError, 404],
    [ConflictError, 409],
    [PayloadTooLargeError, 413],
    [NotImplementedError, 501],
    [UpstreamError, 502],
    [ModelUnavailableError, 503],
  ])('%p carries status %d, its own name and the message', (ErrorType, status) => {
    const error = new ErrorType('why it failed');
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(FocalError);
    expect(error.status).toBe(status);
    expect(error.name).toBe(ErrorType.name);
    expect(error.message).toBe('why it failed');
  });
});

describe('errorFromStatus', () => {
  it.each<[number, ErrorClass]>([
    [400, InvalidInputError],
    [422, InvalidInputError],
    [401, UnauthorizedError],
    [403, ForbiddenError],
    [404, NotFoundError],
    [409, ConflictError],
    [413, PayloadTooLargeError],
    [501, NotImplementedError],
    [503, ModelUnavailableError],
    [500, UpstreamError],
    [502, UpstreamError],
    [504, UpstreamError],
    [418, UpstreamError],
    [0, UpstreamError],
  ])('maps HTTP %d to %p and keeps the detail', (status, ErrorType) => {
    const error = errorFromStatus(status, `detail for ${status}`);
    expect(error).toBeInstanceOf(ErrorType);
    expect(error.message).toBe(`detail for ${status}`);
  });

  it('turns 422 into a 400, the status Focal uses for invalid input', () => {
    expect(errorFromStatus(422, 'x').status).toBe(400);
  });
});

describe('isTransientError', () => {
  it.each<[string, unknown, boolean]>([
    ['invalid input (400)', new InvalidInputError('x'), false],
    ['unauthorized (401)', new UnauthorizedError('x'), false],
    ['forbidden (403)', new ForbiddenError('x'), false],
    ['not found (404)', new NotFoundError('x'), false],
    ['conflict (409)', new ConflictError('x'), false],
    ['payload too large (413)', new PayloadTooLargeError('x'), false],
    ['not implemented (501): a refusal never succeeds on retry', new NotImplementedError('x'), false],
    ['upstream failure (502)', new UpstreamError('x'), true],
    ['model unavailable (503)', new ModelUnavailableError('x'), true],
    ['a plain Error', new Error('socket hang up'), true],
    ['a thrown string', 'boom', true],
    ['undefined', undefined, true],
  ])('%s → %p', (_label, error, transient) => {
    expect(isTransientError(error)).toBe(transient);
  });
});
