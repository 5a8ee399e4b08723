/**
 * The popup's searcher over the prebuilt index. Loaded only through ./data.ts's
 * dynamic import, so the index (12 MB at 10,000 entries) and fuse.js sit in their
 * own chunk, off the first paint's path.
 */
import searchIndex from '@generated/search-index.json';
import { createSearcher } from '../../utils/search';
import type { SearchIndex } from '../../utils/search/types';

export const searcher = createSearcher(searchIndex as unknown as SearchIndex);
