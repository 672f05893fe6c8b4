import type { IncomingMessage } from 'node:http';
import type { HttpResponse } from './respond.js';

export type RouteHandler = (req: IncomingMessage) => HttpResponse | Promise<HttpResponse>;

/** One path and the methods it serves; app.ts owns 404/405, closing, counting and logging. */
export interface Route {
  readonly path: string;
  readonly methods: Readonly<Partial<Record<'GET' | 'HEAD' | 'POST', RouteHandler>>>;
  /** Served while the service is closing (health reports the shutdown); others get 503. */
  readonly servesWhileClosing?: boolean;
}

/** The path without the query string; absolute-form targets (`http://host/p`) are reduced to their path. */
export function pathOf(url: string | undefined): string {
  if (url === undefined || url.length === 0) return '/';
  if (url.charCodeAt(0) !== 47 /* '/' */) {
    try {
      return new URL(url).pathname;
    } catch {
      return url;
    }
  }
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
