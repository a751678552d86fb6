import os from 'node:os';
import path from 'node:path';

/** Where things live. Flags win over environment variables, which win over the defaults. */
export type Paths = {
	configDir: string;
	stateDir: string;
	logsDir: string;
};

export function resolvePaths(flags: {config?: string; stateDir?: string; logsDir?: string}, env = process.env): Paths {
	const xdgState = env.XDG_STATE_HOME || path.join(os.homedir(), '.local', 'state');
	return {
		configDir: path.resolve(flags.config ?? env.FRAMEIO_CONFIG_DIR ?? 'config'),
		stateDir: path.resolve(flags.stateDir ?? env.FRAMEIO_STATE_DIR ?? path.join(xdgState, 'frameio-admin')),
		logsDir: path.resolve(flags.logsDir ?? env.FRAMEIO_LOGS_DIR ?? 'logs'),
	};
}
