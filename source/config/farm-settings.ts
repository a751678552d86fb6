// Farm mode's settings: where its Redis is (FRAMEIO_REDIS_URL, else farm.redis_url of config/optimization.json) and
// what this node is called (config/node-name.ts). Parsing only: no Redis client is loaded here, so that a command on
// a box without farm mode never pays for one.
import {registerSecret} from '../log/redact.js';
import {chooseNodeName, farmNodeNameProblem} from './node-name.js';

export type RedisSettings = {
	scheme: 'redis' | 'rediss';
	host: string;
	port: number;
	db: number;
	username?: string;
	password?: string;
	/** The URL with the password replaced by ***: the only form that may be printed or logged. */
	display: string;
};

export type FarmSettings = {redis: RedisSettings; nodeName: string};

/** The `farm` section of config/optimization.json, as far as it concerns the connection. */
export type FarmConfigSection = {redis_url?: string; node_name?: string};

export const REDIS_URL_ENV = 'FRAMEIO_REDIS_URL';

/** FRAMEIO_REDIS_URL or farm.redis_url cannot be used; the message never contains the password. */
export class FarmConfigError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'FarmConfigError';
	}
}

const URL_SHAPE = 'redis://[[user]:password@]host[:port][/db] or rediss://…';
const DEFAULT_PORT = 6379;

/**
 * Parses a redis:// or rediss:// URL. Errors name what is wrong but never repeat the URL, which may hold a
 * password; the password is registered for redaction, so that no log line can carry it either.
 */
export function parseRedisUrl(raw: string, source = REDIS_URL_ENV): RedisSettings {
	let url: URL;
	try {
		url = new URL(raw.trim());
	} catch {
		throw new FarmConfigError(`${source} is not a URL; expected ${URL_SHAPE}`);
	}
	const scheme = url.protocol.slice(0, -1).toLowerCase();
	if (scheme !== 'redis' && scheme !== 'rediss') {
		throw new FarmConfigError(`${source} must start with redis:// or rediss:// (not ${printable(scheme)}://)`);
	}
	// WHATWG URL keeps IPv6 brackets in hostname; a socket wants the bare address.
	const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
	if (!host) throw new FarmConfigError(`${source} has no host; expected ${URL_SHAPE}`);
	const port = url.port ? Number(url.port) : DEFAULT_PORT;
	const dbText = url.pathname.replace(/^\/+/, '');
	if (dbText !== '' && !/^\d{1,5}$/.test(dbText)) {
		// The path is not repeated: a misplaced password could sit there.
		throw new FarmConfigError(`${source}: the path must be a database number (e.g. /0)`);
	}
	const db = dbText === '' ? 0 : Number(dbText);
	const unknown = [...url.searchParams.keys()];
	if (unknown.length > 0) {
		// Names only: a value could be a secret.
		throw new FarmConfigError(`${source}: query parameters are not supported (${unknown.map(printable).join(', ')})`);
	}
	if (url.hash) throw new FarmConfigError(`${source}: a #fragment is not supported`);
	const username = url.username ? decode(url.username, source) : undefined;
	const password = url.password ? decode(url.password, source) : undefined;
	if (password) {
		registerSecret(password);
		registerSecret(url.password);
	}
	const auth = username || password ? `${username ? encodeURIComponent(username) : ''}${password ? ':***' : ''}@` : '';
	const hostInUrl = host.includes(':') ? `[${host}]` : host;
	const display = `${scheme}://${auth}${hostInUrl}:${port}${db ? `/${db}` : ''}`;
	return {scheme, host, port, db, username, password, display};
}

/**
 * Farm mode's settings, or null when no Redis is configured (then nothing changes). The environment wins over the
 * config file; an empty value counts as unset.
 */
export function resolveFarmSettings(input: {env?: NodeJS.ProcessEnv; config?: FarmConfigSection; hostname?: string} = {}): FarmSettings | null {
	const env = input.env ?? process.env;
	const fromEnv = env[REDIS_URL_ENV]?.trim();
	const fromConfig = input.config?.redis_url?.trim();
	const raw = fromEnv || fromConfig;
	if (!raw) return null;
	const redis = parseRedisUrl(raw, fromEnv ? REDIS_URL_ENV : 'farm.redis_url');
	const hostname = input.hostname;
	const chosen = chooseNodeName(env, input.config?.node_name, hostname === undefined ? undefined : () => hostname);
	const problem = farmNodeNameProblem(chosen.name);
	if (problem) throw new FarmConfigError(`${chosen.source === 'host name' ? 'the host name (set FRAMEIO_NODE_NAME)' : chosen.source} ${problem}`);
	return {redis, nodeName: chosen.name};
}

function decode(text: string, source: string): string {
	try {
		return decodeURIComponent(text);
	} catch {
		throw new FarmConfigError(`${source}: the user or password is not valid percent-encoding`);
	}
}

function printable(text: string): string {
	return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}
