// Farm mode's Redis building blocks. Each is one small interface with a Redis implementation; the composition
// root pairs each with today's local implementation and picks one. Nothing here imports app/, commands/, store/
// or ui/, nor the rest of the product: the blocks speak only Redis.
export {FarmConfigError, FarmUnavailableError, isFarmUnavailable} from './farm-error.js';
export {
	FarmConnection,
	farmKeyPrefix,
	farmNamespace,
	parseRedisUrl,
	resolveFarmSettings,
	type FarmConfigSection,
	type FarmConnectionOptions,
	type FarmIdentity,
	type FarmSettings,
	type RedisSettings,
} from './redis-settings.js';
export {BucketDeadlineError, RedisSharedBucket, type AcquireOptions, type BucketShape, type SharedBucket, type TakeResult} from './shared-bucket.js';
export {
	FolderLockLostError,
	FolderLockTimeoutError,
	RedisFolderLock,
	type FolderLock,
	type FolderLockHandle,
	type HeldFolderLock,
	type WithLockOptions,
} from './folder-lock.js';
export {
	RedisInvalidationBus,
	type Invalidation,
	type InvalidationBus,
	type InvalidationListener,
	type ReceivedInvalidation,
	type SubscribeOptions,
} from './invalidation-bus.js';
export {
	RedisSharedBreaker,
	type SharedBreaker,
	type SharedBreakerDecision,
	type SharedBreakerOptions,
	type SharedBreakerPermit,
	type SharedBreakerSnapshot,
	type SharedBreakerState,
} from './shared-breaker.js';
export {
	HEARTBEAT_MAX_FILES,
	listLiveNodes,
	RedisHeartbeat,
	type Heartbeat,
	type HeartbeatAlert,
	type HeartbeatHealth,
	type HeartbeatOptions,
	type HeartbeatPayload,
	type HeartbeatPublisher,
	type HeartbeatRequests,
	type HeartbeatUpload,
	type HeartbeatUploads,
	type LiveNode,
} from './heartbeat.js';
export {sharedShape} from './farm-rate-budget.js';
export {RedisAlertDedupe, type AlertDedupe, type FarmAlertAction, type FarmAlertTransition, type HoldOptions} from './alert-dedupe.js';
