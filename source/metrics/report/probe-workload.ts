// The probe workload of `report --probe`: what a pipeline does most (who am I, list projects, list folders),
// repeated against the configured API for a while at a polite pace, so that the report measures the API as
// this machine sees it now. The calls' figures reach the MetricsStore through the client's event bus.
import type {Account, FolderChild, Project, User, Workspace} from '../../frameio/types.js';

/** The endpoint functions the probe calls (FrameioClient has them). */
export type ProbeClient = {
	me(): Promise<User>;
	accounts(): Promise<Account[]>;
	workspaces(accountId: string): Promise<Workspace[]>;
	projects(accountId: string, workspaceId: string): Promise<Project[]>;
	children(accountId: string, folderId: string): Promise<FolderChild[]>;
};

export type ProbeTarget = {user: User; account: Account; workspace: Workspace; project: Project};

export type ProbeWorkloadOptions = {
	client: ProbeClient;
	durationMs: number;
	/** At most this many calls started per second (the command passes half the configured ceiling, at most 4). */
	callsPerSecond: number;
	/** A project to probe; the first project found otherwise. */
	projectId?: string;
	signal?: AbortSignal;
	now?: () => number;
	sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
};

export type ProbeWorkloadResult = {
	target: ProbeTarget;
	rounds: number;
	/** Endpoint calls made in the rounds (a listing of several pages is one here; the metrics count each page). */
	steps: number;
	failedSteps: number;
	/** Distinct folders listed. */
	folders: number;
	interrupted: boolean;
	lastError: unknown;
};

export class ProbeSetupError extends Error {
	override readonly name = 'ProbeSetupError';
}

/**
 * Finds the project (the setup: a failure here is an API failure, thrown as is), then runs rounds of
 * me → project listing → root folder listing → one sub-folder listing (a different one each round) until the
 * duration is over or the signal aborts. A failing call in a round is counted and the run goes on: errors are
 * part of what the report measures.
 */
export async function runProbeWorkload(options: ProbeWorkloadOptions): Promise<ProbeWorkloadResult> {
	const now = options.now ?? Date.now;
	const sleep = options.sleep ?? abortableSleep;
	const gapMs = 1000 / Math.max(0.1, options.callsPerSecond);
	const started = now();
	let nextCallAt = started;
	const pace = async () => {
		const wait = nextCallAt - now();
		if (wait > 0) await sleep(wait, options.signal);
		nextCallAt = Math.max(now(), nextCallAt) + gapMs;
	};
	const paced = async <T>(call: () => Promise<T>): Promise<T> => {
		await pace();
		return call();
	};

	const target = await findTarget(options.client, paced, options.projectId);
	const {account, workspace, project} = target;
	const listed = new Set<string>();
	let subfolders: string[] = [];
	let rounds = 0;
	let steps = 0;
	let failedSteps = 0;
	let lastError: unknown = null;
	const over = () => options.signal?.aborted === true || now() - started >= options.durationMs;

	const step = async <T>(call: () => Promise<T>): Promise<T | undefined> => {
		if (over()) return undefined;
		await pace();
		if (options.signal?.aborted) return undefined;
		steps++;
		try {
			return await call();
		} catch (error) {
			failedSteps++;
			lastError = error;
			return undefined;
		}
	};

	while (!over()) {
		rounds++;
		await step(() => options.client.me());
		await step(() => options.client.projects(account.id, workspace.id));
		const rootChildren = await step(() => options.client.children(account.id, project.root_folder_id));
		if (rootChildren) {
			listed.add(project.root_folder_id);
			subfolders = rootChildren.filter(child => child.type === 'folder').map(child => child.id);
		}
		if (subfolders.length > 0) {
			const folderId = subfolders[(rounds - 1) % subfolders.length];
			const children = await step(() => options.client.children(account.id, folderId));
			if (children) listed.add(folderId);
		}
	}
	return {target, rounds, steps, failedSteps, folders: listed.size, interrupted: options.signal?.aborted === true, lastError};
}

async function findTarget(client: ProbeClient, paced: <T>(call: () => Promise<T>) => Promise<T>, projectId?: string): Promise<ProbeTarget> {
	const user = await paced(() => client.me());
	const accounts = await paced(() => client.accounts());
	for (const account of accounts) {
		const workspaces = await paced(() => client.workspaces(account.id));
		for (const workspace of workspaces) {
			const projects = await paced(() => client.projects(account.id, workspace.id));
			const project = projectId ? projects.find(candidate => candidate.id === projectId) : projects[0];
			if (project) return {user, account, workspace, project};
		}
	}
	throw new ProbeSetupError(
		projectId ? `project ${projectId} was not found in any workspace this user can see` : 'this user can see no project to probe (no account, workspace or project)',
	);
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
	return new Promise(resolve => {
		if (signal?.aborted) return resolve();
		const timer = setTimeout(done, ms);
		function done() {
			clearTimeout(timer);
			signal?.removeEventListener('abort', done);
			resolve();
		}
		signal?.addEventListener('abort', done, {once: true});
	});
}
