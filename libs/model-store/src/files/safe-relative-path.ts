/**
 * Paths from a server (tree listings, manifests) become paths on disk, so they must stay
 * inside the model folder: relative, `/`-separated, no `.`/`..`/empty segments, no backslashes.
 */
export function isSafeRelativePath(path: string): boolean {
  if (path === '' || path.startsWith('/') || path.includes('\\') || path.includes('\0')) return false;
  return path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}
