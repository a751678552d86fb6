export {ApiCache, openApiCache, type ApiCacheOptions, type CacheChange, type PurgeOptions, type SnapshotLoad} from './api-cache.js';
export type {CacheEntryInfo, CacheStats, LookupCounts, TypeStats} from './cache-stats.js';
export {cacheKeys, displayedTypes, keyType, ttlGroupByType, ttlSecondsForType, type TtlGroup} from './keys.js';
export {cacheSnapshotPath, SNAPSHOT_FILE} from './snapshot-path.js';
