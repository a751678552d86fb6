// `frameio-admin validate`: every config file (each reported; a bad one shows file:line:col), the credentials (present,
// accepted by GET /v4/me, expiry) and the configured ids, each fetched from the API and shown by name.
// Prints no secret, not even a prefix: the token is named by where it comes from.
// Exit 0 all valid, 1 something invalid (a wrong id shows the API's answer), 2 usage error or a config file that does
// not load.
import {openApp, type App} from '../app/open-app.js';
import {resolvePaths} from '../config/paths.js';
import {formatValidation, startDeadline, validateConfigFiles, validateCredentials, validateIds, type Deadline, type ValidationReport} from '../health/index.js';
import {targetFlags, targetHelp} from './kit/target-flags.js';
import {defineCommand, EXIT, note, paintOf, UsageError} from './kit/command.js';

export default defineCommand({
	help: `frameio-admin validate: check the config files, the credentials and the configured ids

  Usage
    $ frameio-admin validate [--json]

  Config files: config/optimization.json, alerts.json, nomenclature.json (JSON with comments), each checked against
  its schema; a problem is reported as file:line:col. A missing file means the defaults. Each of the seed's alert
  keys in optimization.json (alerts.error_rate_threshold, latency_threshold, memory_threshold, cache_miss_threshold)
  gets a line naming the alerts.json rule whose threshold it sets (it wins over alerts.json).
  Credentials: where the token comes from (never the token), whether GET /v4/me accepts it, when it expires.
  Ids: account, workspace, project and root folder, each fetched from the API and shown by name.
  The run ends within monitoring.health_timeout_seconds (config/optimization.json): what is left then is reported
  as timed out.

  Exit codes: 0 all valid, 1 something invalid, 2 usage error or a config file that does not load.

  ${targetHelp.split('\n').join('\n  ')}`,
	flags: {...targetFlags},
	async run(cli, io) {
		if (cli.input.length > 0) throw new UsageError(`unexpected argument "${cli.input[0]}"`);
		const flags = cli.flags;
		const paths = resolvePaths(flags);
		let app: App | undefined;
		let deadline: Deadline | undefined;
		try {
			// validate never writes the cache.
			app = await openApp({paths, sandbox: flags.sandbox, allowInsecureHttp: flags.allowInsecureHttp, config: 'lenient', credentials: 'optional', cache: 'read-only', targetFlags: flags, targetReads: 'api', identity: 'optional'});
			const {client, target} = app;
			// The whole run ends in time however the API behaves, like health: an API that never answers would
			// otherwise cost request_timeout_seconds × (max_retries + 1) per call.
			deadline = startDeadline(app.config.optimization.monitoring.health_timeout_seconds * 1000, 'monitoring.health_timeout_seconds');
			const config = validateConfigFiles(app.configReports, app.config.seedAlertKeys);
			const credentials = await validateCredentials(app.api.auth, client, Date.now(), deadline);
			const ids = await validateIds(target, client, credentials.accepted, deadline);
			const report: ValidationReport = {config, credentials: credentials.items, ids, notes: target.notes};
			const all = [...config, ...credentials.items, ...ids];
			const valid = all.every(item => item.status !== 'invalid');
			if (flags.json) io.stdout.write(`${JSON.stringify({valid, ...report}, null, 2)}\n`);
			else {
				for (const text of target.notes) note(io, `note: ${text}`);
				io.stdout.write(formatValidation(report, {paint: paintOf(io), problemsOnly: io.quiet}));
			}
			if (app.configErrors.length > 0) return EXIT.usage;
			return valid ? EXIT.ok : EXIT.failed;
		} finally {
			deadline?.dispose();
			await app?.close();
		}
	},
});
