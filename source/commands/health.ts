// `frameio-admin health`: every check as a real probe, failing first, with a reason and a duration each.
// Exit 0 when nothing fails (warnings pass), 1 when a check fails, 2 on a usage error or a config file that does not
// load. A config error is also in the list (the "Configuration valid" check fails with file:line:col) and the other
// checks still run, with the defaults standing in for that file.
import {healthServiceFor} from '../app/health-graph.js';
import {openApp, type App} from '../app/open-app.js';
import {resolvePaths} from '../config/paths.js';
import {formatHealth, summarize} from '../health/index.js';
import {targetFlags, targetHelp} from './kit/target-flags.js';
import {defineCommand, EXIT, note, paintOf, UsageError} from './kit/command.js';

export default defineCommand({
	help: `frameio-admin health: run every health check and print pass / warn / fail with a reason and a duration

  Usage
    $ frameio-admin health [--json] [--notify-test]

  Checks: configuration valid; credentials present; token expiry; GET /v4/me round trip; account, workspace and
  project reachable; upload target folder (WIP_BYSHOT) exists or can be created; cache store readable and writable,
  with its hit rate; nomenclature patterns compile and their examples validate; disk space of the logs and state
  directories; circuit breaker; rate-limit headroom; alert channel configured.

  Checks run concurrently and the run ends within monitoring.health_timeout_seconds (config/optimization.json): a
  check still running then fails with "timed out after N s". API probes are not retried.

  Options
    --notify-test    Also send a test message to the Discord webhook

  Exit codes: 0 every check passes (warnings count as passing), 1 a check fails, 2 usage error or a config file that
  does not load (that file's error is also listed as a failing check).

  ${targetHelp.split('\n').join('\n  ')}`,
	flags: {
		...targetFlags,
		notifyTest: {type: 'boolean', default: false},
	},
	async run(cli, io) {
		if (cli.input.length > 0) throw new UsageError(`unexpected argument "${cli.input[0]}"`);
		const flags = cli.flags;
		const paths = resolvePaths(flags);
		let app: App | undefined;
		try {
			app = await openApp({paths, sandbox: flags.sandbox, allowInsecureHttp: flags.allowInsecureHttp, config: 'lenient', credentials: 'optional', retries: 'none', targetFlags: flags, targetReads: 'api', identity: 'optional'});
			const {target} = app;
			const service = healthServiceFor(app, {stateDir: paths.stateDir, notifyTest: flags.notifyTest});
			const started = performance.now();
			const results = await service.run();
			const ms = Math.round(performance.now() - started);
			const summary = summarize(results);
			const exitCode = app.configErrors.length > 0 ? EXIT.usage : summary.fail > 0 ? EXIT.failed : EXIT.ok;
			if (flags.json) {
				const status = summary.fail > 0 ? 'fail' : summary.warn > 0 ? 'warn' : 'pass';
				io.stdout.write(`${JSON.stringify({status, summary, ms, api: {kind: app.api.kind, url: app.api.baseUrl}, notes: target.notes, checks: results}, null, 2)}\n`);
			} else {
				for (const text of target.notes) note(io, `note: ${text}`);
				io.stdout.write(formatHealth(results, ms, {paint: paintOf(io), problemsOnly: io.quiet}));
			}
			return exitCode;
		} finally {
			await app?.close();
		}
	},
});
