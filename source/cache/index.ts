export {ApiCache, CacheWriteError, openApiCache, type ApiCacheOptions, type CacheChange, type PurgeOptions, type SnapshotLoad} from './api-cache.js';
export type {CacheRowInfo} from './cache-index.js';
export type {CacheEntryInfo, CacheStats, LookupCounts, TypeStats} from './cache-stats.js';
export {cacheKeys, displayedTypes, keyType, ttlGroupByType, ttlSecondsForType, type TtlGroup} from './keys.js';
export {cacheJournalPath, cacheSnapshotPath, previousJournalPath, SNAPSHOT_FILE} from './snapshot-path.js';
export {noSecondLayer, type CacheSecondLayer, type RemoteChange, type SharedEntry, type SharedRead} from './second-layer.js';
