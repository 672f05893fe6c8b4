/** Types of build-if-stale.js (plain JavaScript: it runs before anything is compiled). */
export interface BuildPaths {
  readonly sources: readonly string[];
  readonly configs: readonly string[];
  readonly entry: string;
  readonly stamp: string;
  readonly lock: string;
  readonly tsc: string;
  readonly web: string;
}
export function buildPaths(root: string): BuildPaths;
export function staleReason(root: string): string | undefined;
export function buildDist(root: string): void;
export class BuildError extends Error {
  constructor(status: number);
  readonly status: number;
}
export function buildIfStale(root: string, options?: { build?: (root: string) => void; say?: (line: string) => void }): boolean;
