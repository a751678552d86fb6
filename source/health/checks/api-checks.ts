// Real requests: GET /v4/me (latency against slow_operation_threshold), and the configured account, workspace and
// project, each fetched from the API (never from the cache).
import {TargetError, type Target} from '../../structure/target.js';
import type {FrameioClient} from '../../frameio/client.js';
import {FrameioError} from '../../frameio/errors.js';
import {fail, pass, warn, type HealthCheck} from './types.js';
import type {SharedProbe} from './deps.js';
import {failureReason} from './failure-reason.js';

/** A wait for the rate limiter worth saying: shorter ones are noise next to a round trip. */
const QUEUE_NOTE_MS = 100;

export function meCheck(client: FrameioClient, shared: SharedProbe, slowMs: number): HealthCheck {
	return {
		id: 'api.me',
		name: 'GET /v4/me round trip',
		async run() {
			const started = performance.now();
			try {
				const {user: me, timing} = await client.meTimed();
				// The time on the wire; a wait for the rate limiter (other calls of this process) is said apart.
				const ms = Math.round(timing?.wireMs ?? performance.now() - started);
				const queued = timing && timing.queueMs >= QUEUE_NOTE_MS ? ` (waited ${Math.round(timing.queueMs)} ms for the rate limit)` : '';
				shared.meStatus = 200;
				const who = `${me.name} <${me.email}>`;
				if (ms > slowMs) return warn(`${ms} ms, over slow_operation_threshold (${slowMs / 1000} s)${queued}; user ${who}`);
				return pass(`${ms} ms${queued}; user ${who}`);
			} catch (error) {
				shared.meStatus = error instanceof FrameioError ? error.status : 0;
				return fail(failureReason(error, client.auth.source));
			}
		},
	};
}

/** A target id that is not configured is a failure that names the flag and the variable. */
async function guarded(client: FrameioClient, probe: () => Promise<ReturnType<typeof pass>>) {
	try {
		return await probe();
	} catch (error) {
		if (error instanceof TargetError) return fail(error.message);
		return fail(failureReason(error, client.auth.source));
	}
}

export function accountCheck(client: FrameioClient, target: Target): HealthCheck {
	return {
		id: 'api.account',
		name: 'Account reachable',
		run: () =>
			guarded(client, async () => {
				const accountId = await target.accountId();
				const accounts = await client.accounts();
				const account = accounts.find(item => item.id === accountId);
				if (!account) return fail(`account ${accountId} is not among the ${accounts.length} account(s) this user sees`);
				const usage = account.storage_limit ? `; storage ${Math.round((account.storage_usage / account.storage_limit) * 100)} % used` : '';
				return pass(`${account.display_name} (${account.id})${usage}`);
			}),
	};
}

export function workspaceCheck(client: FrameioClient, target: Target): HealthCheck {
	return {
		id: 'api.workspace',
		name: 'Workspace reachable',
		run: () =>
			guarded(client, async () => {
				const workspaceId = await target.workspaceId();
				if (workspaceId === undefined) return warn('no workspace configured and no project to take it from: pass --workspace-id or set FRAMEIO_WORKSPACE_ID');
				const accountId = await target.accountId();
				const workspaces = await client.workspaces(accountId);
				const workspace = workspaces.find(item => item.id === workspaceId);
				if (!workspace) return fail(`workspace ${workspaceId} is not in account ${accountId} (${workspaces.length} workspace(s) visible)`);
				return pass(`${workspace.name} (${workspace.id})`);
			}),
	};
}

export function projectCheck(client: FrameioClient, target: Target): HealthCheck {
	return {
		id: 'api.project',
		name: 'Project reachable',
		run: () =>
			guarded(client, async () => {
				// A real GET on every run (the target keeps the project it read first).
				const projectId = target.projectId();
				const project = await client.project(await target.accountId(), projectId);
				const status = project.status === 'active' ? '' : ` (status ${project.status})`;
				const outcome = project.status === 'active' ? pass : warn;
				return outcome(`${project.name} (${project.id})${status}; root folder ${project.root_folder_id}`);
			}),
	};
}

export function breakerCheck(client: FrameioClient, now: () => number): HealthCheck {
	return {
		id: 'api.breaker',
		name: 'Circuit breaker',
		async run() {
			const stats = client.breaker.stats();
			const history = stats.opens > 0 ? `; opened ${stats.opens} time(s) since start` : '';
			if (stats.state === 'closed') return pass(`closed (${stats.consecutiveFailures}/${stats.threshold} consecutive failures)${history}`);
			if (stats.state === 'half-open') return warn(`half-open: the next call is a probe${history}`);
			const retryIn = stats.retryAt === null ? 0 : Math.max(0, Math.ceil((stats.retryAt - now()) / 1000));
			return fail(`open after ${stats.threshold} consecutive failures: calls refused for ${retryIn} s more${history}`);
		},
	};
}

/** Below this share of a limit left, rate-limit headroom is a warning. */
export const RATE_LIMIT_WARN_SHARE = 0.2;

export function rateLimitCheck(client: FrameioClient): HealthCheck {
	return {
		id: 'api.ratelimit',
		name: 'Rate-limit headroom',
		async run(run) {
			// GET /v4/me brings fresh x-ratelimit-* headers.
			await run.outcomeOf('api.me');
			let tightest: {name: string; remaining: number; limit: number; windowMs: number} | undefined;
			for (const [name, snapshot] of Object.entries(client.limiter.snapshot())) {
				if (name === 'global' || snapshot.observedAt === undefined) continue;
				const remaining = Math.max(0, Math.floor(snapshot.serverRemaining ?? snapshot.remaining));
				if (!tightest || remaining / snapshot.limit < tightest.remaining / tightest.limit) tightest = {name, remaining, limit: snapshot.limit, windowMs: snapshot.windowMs};
			}
			if (!tightest) return warn('no x-ratelimit headers seen yet (the API has not answered)');
			const window = tightest.windowMs >= 60_000 ? `${tightest.windowMs / 60_000} min` : `${tightest.windowMs / 1000} s`;
			const text = `tightest: ${tightest.name} ${tightest.remaining}/${tightest.limit} left per ${window}`;
			if (tightest.remaining === 0) return fail(`${text}: requests are being held back`);
			if (tightest.remaining / tightest.limit < RATE_LIMIT_WARN_SHARE) return warn(`${text} (under ${RATE_LIMIT_WARN_SHARE * 100} %)`);
			return pass(text);
		},
	};
}
