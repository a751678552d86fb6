// Which account, workspace, project and root folder this installation works on.
// Each id comes from its flag, else its environment variable, else (on the sandbox) the sandbox's demo ids. What is
// still missing is worked out from the API where there is only one sensible answer: the account when exactly one is
// visible, the workspace and root folder from the project. A command that needs a project and has none fails with
// exit 2, naming the flag and the variable to set. The flags themselves are the commands' (commands/target-flags.ts).
import {printable} from '../format/printable.js';
import type {Account, Project} from '../frameio/types.js';

export type TargetIdName = 'accountId' | 'workspaceId' | 'projectId' | 'rootFolderId';

const TARGET_ID_NAMES: readonly TargetIdName[] = ['accountId', 'workspaceId', 'projectId', 'rootFolderId'];

export const TARGET_ENV: Record<TargetIdName, string> = {
	accountId: 'FRAMEIO_ACCOUNT_ID',
	workspaceId: 'FRAMEIO_WORKSPACE_ID',
	projectId: 'FRAMEIO_PROJECT_ID',
	rootFolderId: 'FRAMEIO_ROOT_FOLDER_ID',
};

export const TARGET_FLAG: Record<TargetIdName, string> = {
	accountId: '--account-id',
	workspaceId: '--workspace-id',
	projectId: '--project-id',
	rootFolderId: '--root-folder-id',
};

export const TARGET_LABEL: Record<TargetIdName, string> = {
	accountId: 'account',
	workspaceId: 'workspace',
	projectId: 'project',
	rootFolderId: 'root folder',
};

/** Where an id came from: flag and env are the user's; sandbox, discovered and project are ours. */
export type TargetIdSource = 'flag' | 'env' | 'sandbox' | 'discovered' | 'project';

export type TargetId = {value: string; source: TargetIdSource};
export type ConfiguredIds = Partial<Record<TargetIdName, TargetId>>;

/** The sandbox's demo ids, when the API is the in-process sandbox. */
export type SandboxTargetIds = {accountId: string; workspaceId: string; projectId: string; rootFolderId: string};

/** A missing or ambiguous id: a setup problem, exit 2. */
export class TargetError extends Error {
	readonly exitCode = 2;
	constructor(
		message: string,
		readonly id: TargetIdName,
	) {
		super(message);
		this.name = 'TargetError';
	}
}

export function missingIdMessage(name: TargetIdName, why = ''): string {
	return `no ${TARGET_LABEL[name]} configured${why}: pass ${TARGET_FLAG[name]} ID or set ${TARGET_ENV[name]}`;
}

/**
 * Flags win over the environment, which wins over the sandbox's ids. Blank values count as absent. The sandbox's
 * workspace and root folder only go with its own project: a project the user names brings its own.
 */
export function configuredTargetIds(
	flags: Partial<Record<TargetIdName, string | undefined>>,
	env: NodeJS.ProcessEnv = process.env,
	sandboxIds?: SandboxTargetIds,
): ConfiguredIds {
	const ids: ConfiguredIds = {};
	for (const name of TARGET_ID_NAMES) {
		const flag = flags[name]?.trim();
		const fromEnv = env[TARGET_ENV[name]]?.trim();
		if (flag) ids[name] = {value: flag, source: 'flag'};
		else if (fromEnv) ids[name] = {value: fromEnv, source: 'env'};
	}
	if (sandboxIds) {
		ids.accountId ??= {value: sandboxIds.accountId, source: 'sandbox'};
		ids.projectId ??= {value: sandboxIds.projectId, source: 'sandbox'};
		if (ids.projectId.source === 'sandbox') {
			ids.workspaceId ??= {value: sandboxIds.workspaceId, source: 'sandbox'};
			ids.rootFolderId ??= {value: sandboxIds.rootFolderId, source: 'sandbox'};
		}
	}
	return ids;
}

/** A lookup that failed (the API was down) is tried again next time; one that worked is kept. */
function forgetOnFailure<T>(pending: Promise<T>, forget: () => void): Promise<T> {
	pending.catch(forget);
	return pending;
}

/** What the target needs from the API (a StructureService, or the client for fresh reads). */
export type TargetApi = {
	accounts(): Promise<Account[]>;
	project(accountId: string, projectId: string): Promise<Project>;
};

/**
 * The resolved target, lazily: nothing is fetched until an id is asked for, and a lookup that worked is kept (a
 * failed one is tried again). `notes` says what was worked out rather than configured ("using the only account
 * visible: Undlm Studio").
 */
export class Target {
	readonly notes: string[] = [];
	private account?: Promise<string>;
	private projectRecord?: Promise<Project>;

	constructor(
		readonly ids: ConfiguredIds,
		private readonly api: TargetApi,
	) {}

	has(name: TargetIdName): boolean {
		return this.ids[name] !== undefined;
	}

	source(name: TargetIdName): TargetIdSource | undefined {
		return this.ids[name]?.source;
	}

	accountId(): Promise<string> {
		this.account ??= forgetOnFailure(this.resolveAccount(), () => (this.account = undefined));
		return this.account;
	}

	projectId(): string {
		const id = this.ids.projectId;
		if (!id) throw new TargetError(missingIdMessage('projectId'), 'projectId');
		return id.value;
	}

	/** The configured project, fetched once (GET /v4/accounts/{a}/projects/{p}). */
	project(): Promise<Project> {
		this.projectRecord ??= forgetOnFailure(
			(async () => {
				const projectId = this.projectId();
				return this.api.project(await this.accountId(), projectId);
			})(),
			() => (this.projectRecord = undefined),
		);
		return this.projectRecord;
	}

	/** The configured workspace, else the project's, else undefined. */
	async workspaceId(): Promise<string | undefined> {
		if (this.ids.workspaceId) return this.ids.workspaceId.value;
		if (!this.ids.projectId) return undefined;
		const project = await this.project();
		this.ids.workspaceId = {value: project.workspace_id, source: 'project'};
		return project.workspace_id;
	}

	/** The configured root folder, else the project's root folder. */
	async rootFolderId(): Promise<string> {
		if (this.ids.rootFolderId) return this.ids.rootFolderId.value;
		if (!this.ids.projectId) throw new TargetError(missingIdMessage('projectId', ' (the root folder defaults to the project\'s)'), 'projectId');
		const project = await this.project();
		this.ids.rootFolderId = {value: project.root_folder_id, source: 'project'};
		return project.root_folder_id;
	}

	private async resolveAccount(): Promise<string> {
		if (this.ids.accountId) return this.ids.accountId.value;
		const accounts = await this.api.accounts();
		if (accounts.length === 1) {
			const only = accounts[0];
			this.ids.accountId = {value: only.id, source: 'discovered'};
			this.notes.push(`account: using the only account visible, ${printable(only.display_name)} (${printable(only.id)})`);
			return only.id;
		}
		if (accounts.length === 0) throw new TargetError('this user sees no Frame.io account', 'accountId');
		const list = accounts.map(account => `${printable(account.display_name)} (${printable(account.id)})`).join(', ');
		throw new TargetError(missingIdMessage('accountId', ` and ${accounts.length} accounts are visible: ${list}`), 'accountId');
	}
}
