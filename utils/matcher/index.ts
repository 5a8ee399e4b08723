/**
 * The matcher: the engine (engine.ts, what the content script bundles) plus the build
 * step (build.ts, build time and tests only).
 */
export * from './engine';
export { buildMatcherData } from './build';
