/**
 * Test-only hook: the storage.local key under which the benchmark stores inflated matcher
 * data (10× names) for the background to use instead of the catalog's. A module of its own,
 * without browser imports, so the Node benchmark scripts write the same key the background reads.
 */
export const BENCH_MATCHER_KEY = 'bench:matcherData';
