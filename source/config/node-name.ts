// Which machine a process runs on: alerts name it, and in farm mode it is the node's name in Redis keys, heartbeats
// and Discord messages. One rule for both: FRAMEIO_NODE_NAME wins (farms name their nodes their own way, and
// containers have random host names), then farm.node_name of config/optimization.json, then the host name.
import os from 'node:os';
import {printable} from '../format/printable.js';

export const NODE_NAME_ENV = 'FRAMEIO_NODE_NAME';

export type NodeNameChoice = {
	name: string;
	/** Where it came from, for error messages. */
	source: 'FRAMEIO_NODE_NAME' | 'farm.node_name' | 'host name';
};

/** The chosen name as written (trimmed), and where it came from. */
export function chooseNodeName(env: NodeJS.ProcessEnv = process.env, configured?: string, hostname: () => string = os.hostname): NodeNameChoice {
	const fromEnv = env[NODE_NAME_ENV]?.trim();
	if (fromEnv) return {name: fromEnv, source: NODE_NAME_ENV};
	const fromConfig = configured?.trim();
	if (fromConfig) return {name: fromConfig, source: 'farm.node_name'};
	return {name: hostname().trim(), source: 'host name'};
}

/** The name as alerts print it in terminals, alerts.log and Discord: made printable (format/printable.ts), and kept short. */
export function nodeName(env: NodeJS.ProcessEnv = process.env, hostname: () => string = os.hostname, configured?: string): string {
	const chosen = chooseNodeName(env, configured, hostname).name || 'unknown host';
	return printable(chosen).slice(0, 100);
}

/**
 * Why a name cannot name a farm node, or null. In farm mode the name goes into Redis key names, CLIENT SETNAME and
 * Discord messages: 1 to 64 printable ASCII characters, no spaces.
 */
export function farmNodeNameProblem(name: string): string | null {
	if (!name || name.length > 64 || !/^[\x21-\x7e]+$/.test(name)) return 'must be 1 to 64 printable ASCII characters without spaces';
	return null;
}
