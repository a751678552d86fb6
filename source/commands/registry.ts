import type {CommandModule} from './kit/command.js';

type Entry = {summary: string; load: () => Promise<{default: CommandModule<any>}>};

/** Every subcommand, loaded lazily so that a subcommand never pays for Ink, React or the others. */
export const commands: Record<string, Entry> = {
	health: {summary: 'Run every health check (exit 1 if any fails)', load: () => import('./health.js')},
	cache: {summary: 'Cache stats and purges: cache stats | cache clear [--pattern P | --expired]', load: () => import('./cache.js')},
	validate: {summary: 'Validate config files, credentials and configured IDs', load: () => import('./validate.js')},
	structure: {summary: 'Print the account → workspace → project → folder tree', load: () => import('./structure.js')},
	nomenclature: {summary: 'Parse file names against the naming patterns', load: () => import('./nomenclature.js')},
	'test-upload': {summary: 'Upload FILE into SCENE/SHOT and verify it', load: () => import('./test-upload.js')},
	upload: {summary: 'Upload files (or a URL) with progress and a resumable queue', load: () => import('./upload.js')},
	watch: {summary: 'Upload new files that appear in a directory', load: () => import('./watch.js')},
	verify: {summary: 'Compare local renders with Frame.io: missing, size differs, only on Frame.io (exit 1 on any)', load: () => import('./verify.js')},
	webhook: {summary: "The workspace's webhooks: webhook list | create --url URL | delete ID", load: () => import('./webhook.js')},
	farm: {summary: "The farm's live view: every node's health, uploads, requests and 429s, the shared buckets", load: () => import('./farm.js')},
	report: {summary: 'Write the optimization report', load: () => import('./report.js')},
	logs: {summary: 'Print (and follow) the structured logs in human form', load: () => import('./logs.js')},
	login: {summary: 'Log in with Adobe IMS (PKCE, or --client-id/--client-secret)', load: () => import('./login.js')},
	logout: {summary: 'Forget the stored credentials', load: () => import('./logout.js')},
	whoami: {summary: 'Show the current user and token expiry', load: () => import('./whoami.js')},
	sandbox: {summary: 'Run the built-in Frame.io v4 sandbox on 127.0.0.1', load: () => import('./sandbox.js')},
};
