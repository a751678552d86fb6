import type {Logger} from 'pino';
import {CredentialsError, CredentialsStore} from '../../config/credentials.js';
import {EnvTokenProvider} from './static-token.js';
import {StoredTokenProvider} from './stored-token.js';
import {MissingTokenProvider, NoCredentialsError, type TokenProvider} from './token-provider.js';

export type ResolveAuthOptions = {
	stateDir: string;
	env?: NodeJS.ProcessEnv;
	logger?: Logger;
	/** 'throw' (default): NoCredentialsError; 'none': a provider whose getToken() throws it (health reports it). */
	onMissing?: 'throw' | 'none';
};

/** FRAMEIO_TOKEN first, then the credentials stored by `login`. */
export function resolveTokenProvider(options: ResolveAuthOptions): TokenProvider {
	const env = options.env ?? process.env;
	const token = env.FRAMEIO_TOKEN?.trim();
	if (token) return new EnvTokenProvider(token);
	// console.error, not process.stderr: while the console owns the screen it sends console.* to the log instead.
	const tell = (message: string) => console.error(`frameio-admin: warning: ${message}`);
	const store = new CredentialsStore(options.stateDir, {
		onWarning: message => {
			tell(message);
			options.logger?.warn(message);
		},
	});
	if (store.exists()) {
		try {
			return new StoredTokenProvider({store, logger: options.logger, onWarning: tell});
		} catch (error) {
			// health lists a refused file as a failing check, with the reason, and runs the other checks.
			if (error instanceof CredentialsError && options.onMissing === 'none') return new MissingTokenProvider(error);
			throw error;
		}
	}
	if (options.onMissing === 'none') return new MissingTokenProvider();
	throw new NoCredentialsError();
}

/** Whether any credentials are configured, without reading secrets (the console picks LIVE or SANDBOX with it). */
export function hasCredentials(stateDir: string, env: NodeJS.ProcessEnv = process.env): boolean {
	return Boolean(env.FRAMEIO_TOKEN?.trim()) || new CredentialsStore(stateDir).exists();
}
