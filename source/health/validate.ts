// What `validate` checks: each config file, the credentials (present, accepted by GET /v4/me, expiry) and each
// configured id (account, workspace, project, root folder), fetched from the API and shown by name. Nothing here ever
// holds a secret in its text: the token is described by its source only.
import {printable} from '../format/printable.js';
import {TargetError, TARGET_ENV, TARGET_FLAG, type Target, type TargetIdName, type TargetIdSource} from '../structure/target.js';
import {plain, type Paint, type Tone} from '../format/colour.js';
import {StoredTokenProvider} from '../frameio/auth/stored-token.js';
import {LOGIN_HINT, MissingTokenProvider, type TokenProvider} from '../frameio/auth/token-provider.js';
import type {FrameioClient} from '../frameio/client.js';
import type {Project} from '../frameio/types.js';
import {formatSeconds} from '../format/duration.js';
import {describeTokenSource} from '../frameio/auth/describe-token.js';
import {TOKEN_WARN_MS} from './checks/credentials-checks.js';
import {failureReason} from './checks/failure-reason.js';
import type {ConfigFileReport} from '../config/lenient-load.js';
import type {SeedAlertMapping} from '../config/seed-alert-keys.js';
import {ruleDefinitions} from '../metrics/alert-rules.js';
import {DeadlineError, noDeadline, type Deadline} from './deadline.js';

export type ValidationStatus = 'ok' | 'warn' | 'invalid' | 'unset';

export type ValidationItem = {name: string; status: ValidationStatus; detail: string; source?: string};

export type ValidationReport = {
	config: ValidationItem[];
	credentials: ValidationItem[];
	ids: ValidationItem[];
	notes: string[];
};

/** Each config file, then one line per seed alert key of optimization.json naming the rule it sets. */
export function validateConfigFiles(reports: readonly ConfigFileReport[], seedAlertKeys: readonly SeedAlertMapping[] = []): ValidationItem[] {
	const files = reports.map((report): ValidationItem => {
		if (report.error) return {name: report.name, status: 'invalid', detail: report.error.message};
		if (!report.exists) return {name: report.name, status: 'ok', detail: `${report.file} not present: defaults`};
		return {name: report.name, status: 'ok', detail: report.file};
	});
	const optimizationFile = reports.find(report => report.name === 'optimization')?.file;
	const mapped = seedAlertKeys.map((mapping): ValidationItem => {
		const format = ruleDefinitions[mapping.rule].formatThreshold;
		const sets = `sets the threshold of rule ${mapping.rule} to ${format(mapping.threshold)} (alerts.json: ${format(mapping.replaced)})`;
		return {
			name: mapping.key,
			status: mapping.ruleEnabled ? 'ok' : 'warn',
			detail: mapping.ruleEnabled ? sets : `${sets}, but the rule is disabled in alerts.json`,
			source: optimizationFile,
		};
	});
	return [...files, ...mapped];
}

export async function validateCredentials(
	auth: TokenProvider,
	client: FrameioClient,
	now = Date.now(),
	deadline: Deadline = noDeadline,
): Promise<{items: ValidationItem[]; accepted: boolean}> {
	if (auth.source === 'none') {
		const detail = auth instanceof MissingTokenProvider && auth.problem ? auth.problem.message : `no Frame.io credentials: ${LOGIN_HINT}`;
		return {items: [{name: 'source', status: 'invalid', detail}], accepted: false};
	}
	const items: ValidationItem[] = [{name: 'source', status: 'ok', detail: describeTokenSource(auth)}];
	let accepted = false;
	try {
		const me = await deadline.race(client.me());
		accepted = true;
		items.push({name: 'accepted', status: 'ok', detail: `GET /v4/me: ${me.name} <${me.email}> (user ${me.id})`});
	} catch (error) {
		const detail = error instanceof DeadlineError ? `GET /v4/me: ${error.message}` : failureReason(error, auth.source);
		items.push({name: 'accepted', status: 'invalid', detail});
	}
	const expiresAt = auth.expiresAt();
	const canRefresh = auth instanceof StoredTokenProvider && auth.canRefresh();
	if (expiresAt === null) {
		items.push({name: 'expiry', status: 'ok', detail: auth.source === 'sandbox' ? 'the sandbox token does not expire' : 'the token does not say when it expires'});
	} else {
		const left = expiresAt - now;
		const at = new Date(expiresAt).toISOString();
		if (left <= 0) items.push({name: 'expiry', status: 'invalid', detail: `expired at ${at}`});
		else if (left < TOKEN_WARN_MS && !canRefresh) items.push({name: 'expiry', status: 'warn', detail: `expires in ${formatSeconds(left / 1000)} (${at}) and cannot be refreshed`});
		else items.push({name: 'expiry', status: 'ok', detail: `expires in ${formatSeconds(left / 1000)} (${at})${canRefresh ? '; refreshed automatically' : ''}`});
	}
	return {items, accepted};
}

function sourceLabel(name: TargetIdName, source: TargetIdSource | undefined): string | undefined {
	switch (source) {
		case 'flag':
			return TARGET_FLAG[name];
		case 'env':
			return TARGET_ENV[name];
		case 'sandbox':
			return 'the sandbox demo';
		case 'discovered':
			return 'the only account visible';
		case 'project':
			return "the project's";
		default:
			return undefined;
	}
}

const unset = (name: string, id: TargetIdName, why = ''): ValidationItem => ({
	name,
	status: 'unset',
	detail: `not set${why}: pass ${TARGET_FLAG[id]} or set ${TARGET_ENV[id]}`,
});

/**
 * Each id as the API knows it. An id that is not set is reported, not counted as invalid. Every call is raced
 * against `deadline`: past it, what is left is reported as timed out.
 */
export async function validateIds(target: Target, client: FrameioClient, credentialsAccepted: boolean, deadline: Deadline = noDeadline): Promise<ValidationItem[]> {
	const items: ValidationItem[] = [];
	const tokenSource = client.auth.source;
	const within = deadline.race;
	const from = (id: TargetIdName) => sourceLabel(id, target.source(id));
	const reason = (error: unknown) => (error instanceof DeadlineError ? error.message : failureReason(error, tokenSource));
	const invalid = (name: string, id: TargetIdName, error: unknown): ValidationItem => ({name, status: 'invalid', detail: reason(error), source: from(id)});

	if (!credentialsAccepted) {
		const why = deadline.expired ? 'not checked: timed out' : 'not checked: the credentials do not work';
		for (const id of ['accountId', 'workspaceId', 'projectId', 'rootFolderId'] as const) {
			const name = id === 'rootFolderId' ? 'root folder' : id.replace('Id', '');
			items.push(target.has(id) ? {name, status: 'unset', detail: why, source: from(id)} : unset(name, id));
		}
		return items;
	}

	let accountId: string | undefined;
	try {
		accountId = await within(target.accountId());
		const accounts = await within(client.accounts());
		const account = accounts.find(item => item.id === accountId);
		items.push(
			account
				? {name: 'account', status: 'ok', detail: `${account.display_name} (${account.id})`, source: from('accountId')}
				: {name: 'account', status: 'invalid', detail: `${accountId} is not among the ${accounts.length} account(s) this user sees`, source: from('accountId')},
		);
		if (!account) accountId = undefined;
	} catch (error) {
		items.push(error instanceof TargetError ? {name: 'account', status: 'unset', detail: error.message} : invalid('account', 'accountId', error));
	}

	let project: Project | undefined;
	if (!target.has('projectId')) items.push(unset('project', 'projectId'));
	else if (accountId === undefined) items.push({name: 'project', status: 'unset', detail: 'not checked: no usable account', source: from('projectId')});
	else {
		try {
			project = await within(target.project());
			items.push({name: 'project', status: 'ok', detail: `${project.name} (${project.id})`, source: from('projectId')});
		} catch (error) {
			items.push(invalid('project', 'projectId', error));
		}
	}

	// Workspace: as configured, else the project's.
	const configuredWorkspace = target.has('workspaceId') ? target.ids.workspaceId!.value : undefined;
	const workspaceId = configuredWorkspace ?? project?.workspace_id;
	const noProject = target.has('projectId') ? ' and the project could not be read' : ' and no project to take it from';
	if (workspaceId === undefined) items.push(unset('workspace', 'workspaceId', noProject));
	else if (accountId === undefined) items.push({name: 'workspace', status: 'unset', detail: 'not checked: no usable account', source: from('workspaceId')});
	else {
		try {
			const workspaces = await within(client.workspaces(accountId));
			const workspace = workspaces.find(item => item.id === workspaceId);
			const source = configuredWorkspace ? from('workspaceId') : "the project's";
			if (!workspace) items.push({name: 'workspace', status: 'invalid', detail: `${workspaceId} is not in the account (${workspaces.length} workspace(s) visible)`, source});
			else if (project && project.workspace_id !== workspace.id) {
				items.push({name: 'workspace', status: 'invalid', detail: `${workspace.name} (${workspace.id}) is not the project's workspace (${project.workspace_id})`, source});
			} else items.push({name: 'workspace', status: 'ok', detail: `${workspace.name} (${workspace.id})`, source});
		} catch (error) {
			items.push(invalid('workspace', 'workspaceId', error));
		}
	}

	// Root folder: as configured, else the project's root folder.
	const configuredRoot = target.has('rootFolderId') ? target.ids.rootFolderId!.value : undefined;
	const rootFolderId = configuredRoot ?? project?.root_folder_id;
	if (rootFolderId === undefined) items.push(unset('root folder', 'rootFolderId', noProject));
	else if (accountId === undefined) items.push({name: 'root folder', status: 'unset', detail: 'not checked: no usable account', source: from('rootFolderId')});
	else {
		const source = configuredRoot ? from('rootFolderId') : "the project's";
		try {
			const folder = await within(client.folder(accountId, rootFolderId));
			if (project && folder.project_id !== project.id) {
				items.push({name: 'root folder', status: 'invalid', detail: `${folder.name} (${folder.id}) is in project ${folder.project_id}, not ${project.name}`, source});
			} else items.push({name: 'root folder', status: 'ok', detail: `${folder.name} (${folder.id})`, source});
		} catch (error) {
			items.push({name: 'root folder', status: 'invalid', detail: reason(error), source});
		}
	}
	const order = ['account', 'workspace', 'project', 'root folder'];
	return items.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
}

const SYMBOL: Record<ValidationStatus, string> = {ok: 'ok', warn: 'warn', invalid: 'INVALID', unset: 'not set'};

const VALIDATION_TONE: Record<ValidationStatus, Tone> = {ok: 'ok', warn: 'warn', invalid: 'fail', unset: 'dim'};

/** `paint` colours the status words on a terminal; `problemsOnly` (--quiet) lists what is not valid, and the verdict. */
export function formatValidation(report: ValidationReport, options: {paint?: Paint; problemsOnly?: boolean} = {}): string {
	const paint = options.paint ?? plain;
	const all = [...report.config, ...report.credentials, ...report.ids];
	const nameWidth = Math.max(...all.map(item => item.name.length));
	const statusWidth = Math.max(...all.map(item => SYMBOL[item.status].length));
	const section = (title: string, all: ValidationItem[]) => {
		const items = options.problemsOnly ? all.filter(item => item.status === 'warn' || item.status === 'invalid') : all;
		if (items.length === 0 && options.problemsOnly) return [];
		return [
			title,
			// A detail quotes the API (account and project names) and the config files: one line each, printable.
			...items.map(item => `  ${paint(SYMBOL[item.status].padEnd(statusWidth), VALIDATION_TONE[item.status])}  ${item.name.padEnd(nameWidth)}  ${printable(item.detail)}${item.source ? `  [from ${printable(item.source)}]` : ''}`),
		];
	};
	const invalid = all.filter(item => item.status === 'invalid').length;
	const warnings = all.filter(item => item.status === 'warn').length;
	const lines = [...section('Configuration', report.config), ...section('Credentials', report.credentials), ...section('IDs', report.ids), ''];
	lines.push(invalid === 0 ? `All valid${warnings ? ` (${warnings} warning${warnings === 1 ? '' : 's'})` : ''}.` : paint(`${invalid} invalid.`, 'fail'));
	return `${lines.join('\n')}\n`;
}
