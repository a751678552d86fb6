// Which machine a process runs on, as alerts name it: on a render farm the admin must know which node to look at.
// FRAMEIO_NODE_NAME wins (farms name their nodes their own way, and containers have random host names), else the
// host name.
import os from 'node:os';
import {printable} from '../format/printable.js';

export const NODE_NAME_ENV = 'FRAMEIO_NODE_NAME';

/** The name is printed in terminals, alerts.log and Discord: made printable (format/printable.ts), and kept short. */
export function nodeName(env: NodeJS.ProcessEnv = process.env, hostname: () => string = os.hostname): string {
	const chosen = env[NODE_NAME_ENV]?.trim() || hostname().trim() || 'unknown host';
	return printable(chosen).slice(0, 100);
}
