// Shared by the farm tests: connections to the file's real redis-server, each test in its own namespace (a fresh
// account user id), so tests never see each other's keys.
import {randomUUID} from 'node:crypto';
import {FarmConnection, parseRedisUrl} from '../../source/farm/redis-settings.js';
import type {RedisServer} from '../helpers/redis-server.js';

export type Fixture = {
	identity: {apiOrigin: string; accountUserId: string};
	connect(nodeName?: string): Promise<FarmConnection>;
	closeAll(): Promise<void>;
};

export function farmFixture(server: () => RedisServer): Fixture {
	const open: FarmConnection[] = [];
	const identity = {apiOrigin: 'http://127.0.0.1:1', accountUserId: randomUUID()};
	return {
		identity,
		async connect(nodeName = 'node-a') {
			const connection = new FarmConnection(parseRedisUrl(server().url), {identity, nodeName});
			open.push(connection);
			await connection.ready(5000);
			return connection;
		},
		async closeAll() {
			await Promise.all(open.splice(0).map(connection => connection.close()));
		},
	};
}

/**
 * Resolves when `check` holds, polling (a check that throws counts as not yet); rejects after timeoutMs. A hang
 * detector, not a timing goal, except where a test names its bound (the bus's 1 s).
 */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 5000, what = 'condition'): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	let lastError: unknown;
	for (;;) {
		try {
			if (await check()) return;
		} catch (error) {
			lastError = error;
		}
		if (Date.now() > deadline) throw new Error(`${what} did not hold within ${timeoutMs} ms`, {cause: lastError});
		await new Promise(resolve => setTimeout(resolve, 20));
	}
}
