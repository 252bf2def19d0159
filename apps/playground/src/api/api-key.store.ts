/** The API key lives in sessionStorage: it survives reloads of the tab, and is gone when the tab closes. */
const KEY = 'focal.playground.apiKey';

export function readApiKey(): string {
  try {
    return sessionStorage.getItem(KEY) ?? '';
  } catch {
    return '';
  }
}

export function saveApiKey(value: string): void {
  try {
    if (value) sessionStorage.setItem(KEY, value);
    else sessionStorage.removeItem(KEY);
  } catch {
    // Storage can be disabled (privacy modes); the key then lasts as long as the field.
  }
}
