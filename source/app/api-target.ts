// Which API a command talks to, and with which token (the only place that starts an in-process sandbox):
//   --sandbox           an in-process sandbox (loaded only then, so other commands never pay for it), its token
//   FRAMEIO_API_URL     a custom host (a standalone `frameio-admin sandbox`, a proxy), FRAMEIO_TOKEN or stored credentials
//   otherwise           https://api.frame.io, FRAMEIO_TOKEN or stored credentials
import type {Logger} from 'pino';
import type {Sandbox, SandboxOptions} from '../sandbox/index.js';
import {checkTransport, LIVE_API_URL, parseApiBase} from '../frameio/api-url.js';
import {DEFAULT_IMS_URL, normalizeImsUrl} from '../frameio/auth/ims-client.js';
import {resolveTokenProvider} from '../frameio/auth/resolve-auth.js';
import {SandboxTokenProvider} from '../frameio/auth/static-token.js';
import {NoCredentialsError, type TokenProvider} from '../frameio/auth/token-provider.js';

export type ApiTargetKind = 'live' | 'sandbox' | 'custom';

export type ApiTarget = {
	kind: ApiTargetKind;
	/** The API host, without /v4. */
	baseUrl: string;
	imsUrl: string;
	auth: TokenProvider;
	/** Pass to createFrameioClient: the in-process sandbox runs Frame.io's limits at this scale. */
	rateLimitScale: number;
	/** The in-process sandbox, when kind is 'sandbox' (tests and the console's demo use its ids). */
	sandbox?: Sandbox;
	close(): Promise<void>;
};

export type ResolveApiTargetOptions = {
	/** The --sandbox flag. */
	sandbox?: boolean;
	env?: NodeJS.ProcessEnv;
	stateDir: string;
	logger?: Logger;
	/**
	 * Without any credentials: 'throw' (default) a NoCredentialsError; 'sandbox' fall back to an in-process sandbox
	 * (the console's first run); 'none' return a target whose token provider throws on use (health reports it).
	 */
	onMissing?: 'throw' | 'sandbox' | 'none';
	sandboxOptions?: SandboxOptions;
	/** --allow-insecure-http: plain http to a host that is not loopback is accepted (it is refused otherwise). */
	allowInsecureHttp?: boolean;
};

export async function resolveApiTarget(options: ResolveApiTargetOptions): Promise<ApiTarget> {
	const env = options.env ?? process.env;
	if (options.sandbox) return startSandboxTarget(options.sandboxOptions);
	const custom = env.FRAMEIO_API_URL?.trim();
	const baseUrl = custom ? normalizeBase(custom) : LIVE_API_URL;
	const imsUrl = normalizeImsUrl(env.FRAMEIO_IMS_URL?.trim() || DEFAULT_IMS_URL);
	// Before any token is read: a refused URL never gets one.
	checkTransport(baseUrl, 'FRAMEIO_API_URL', options.allowInsecureHttp === true);
	checkTransport(imsUrl, 'FRAMEIO_IMS_URL', options.allowInsecureHttp === true);
	let auth: TokenProvider;
	try {
		auth = resolveTokenProvider({stateDir: options.stateDir, env, logger: options.logger, onMissing: options.onMissing === 'none' ? 'none' : 'throw'});
	} catch (error) {
		if (error instanceof NoCredentialsError && options.onMissing === 'sandbox') return startSandboxTarget(options.sandboxOptions);
		throw error;
	}
	return {kind: custom ? 'custom' : 'live', baseUrl, imsUrl, auth, rateLimitScale: 1, close: async () => undefined};
}

async function startSandboxTarget(sandboxOptions: SandboxOptions = {}): Promise<ApiTarget> {
	const {startSandbox} = await import('../sandbox/index.js');
	const sandbox = await startSandbox(sandboxOptions);
	return {
		kind: 'sandbox',
		baseUrl: sandbox.url,
		imsUrl: sandbox.imsUrl,
		auth: new SandboxTokenProvider(sandbox),
		rateLimitScale: sandboxOptions.rateLimitScale ?? 1,
		sandbox,
		close: () => sandbox.close(),
	};
}

/** The origin of the API the environment names (FRAMEIO_API_URL, or api.frame.io), without asking it anything. */
export function configuredOrigin(env: NodeJS.ProcessEnv = process.env): string {
	const custom = env.FRAMEIO_API_URL?.trim();
	return custom ? parseApiBase(custom).origin : LIVE_API_URL;
}

function normalizeBase(value: string): string {
	const base = parseApiBase(value);
	return `${base.origin}${base.prefix}`;
}
