/**
 * A viewer's login, typed by the operator, never served by the sidecar. Kept
 * for this tab (sessionStorage), or on this screen (localStorage) when asked
 * to remember it, as a wall screen must reconnect by itself after a reload.
 */
export interface Credentials {
  readonly username: string;
  readonly password: string;
}

const KEY = 'factory-anomaly.viewer';

export function loadCredentials(): Credentials | undefined {
  for (const storage of [sessionStorage, localStorage]) {
    try {
      const value = JSON.parse(storage.getItem(KEY) ?? 'null') as Partial<Credentials> | null;
      if (typeof value?.username === 'string' && typeof value.password === 'string') return { username: value.username, password: value.password };
    } catch {
      storage.removeItem(KEY);
    }
  }
  return undefined;
}

export function saveCredentials(credentials: Credentials, remember: boolean): void {
  forgetCredentials();
  (remember ? localStorage : sessionStorage).setItem(KEY, JSON.stringify(credentials));
}

export function forgetCredentials(): void {
  sessionStorage.removeItem(KEY);
  localStorage.removeItem(KEY);
}
