import type {Target} from '../../structure/target.js';
import type {ApiCache} from '../../cache/index.js';
import type {AppConfig} from '../../config/index.js';
import type {TokenProvider} from '../../frameio/auth/token-provider.js';
import type {FrameioClient} from '../../frameio/client.js';
import type {StructureService} from '../../structure/index.js';
import type {FarmProbe} from './farm-check.js';

/** What the checks probe. */
export type HealthDeps = {
	/** Where config/*.json are read from (the configuration check reads them again on every run). */
	configDir: string;
	/** The configuration in use (with defaults in place of files that do not load). */
	config: AppConfig;
	auth: TokenProvider;
	/** A client that does not retry: a probe reports what happens now (health-runtime.ts: createProbeClient). */
	client: FrameioClient;
	target: Target;
	structure: StructureService;
	cache: ApiCache;
	dirs: {logs: string; state: string};
	env?: NodeJS.ProcessEnv;
	/** Send a test message to the alert channel (health --notify-test). */
	notifyTest?: boolean;
	/** Free-space thresholds; default DISK_WARN_BYTES / DISK_FAIL_BYTES. */
	disk?: {warnBytes: number; failBytes: number};
	/** How the farm link stands; default a node on its own (farm-check.ts). */
	farm?: FarmProbe;
	now?: () => number;
};

/** What checks learn from each other within one run. */
export type SharedProbe = {
	/** HTTP status of GET /v4/me (0: no answer), once known. */
	meStatus?: number;
};
