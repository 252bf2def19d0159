export const URL_FETCHER = Symbol('URL_FETCHER');

/** Fetches an image URL for a request, within the configured byte cap and timeout. */
export interface UrlFetcher {
  fetch(url: string): Promise<Buffer>;
}
