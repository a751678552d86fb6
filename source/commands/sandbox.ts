// `frameio-admin sandbox`: runs the built-in Frame.io v4 simulator on 127.0.0.1 until SIGINT/SIGTERM.
import {NAMED_PROFILES, startSandbox, type FaultProfile, type Sandbox} from '../sandbox/index.js';
import {defineCommand, EXIT, UsageError, type Io, note} from './kit/command.js';

const profiles = Object.keys(NAMED_PROFILES).join('|');

const usage = `Usage
    $ frameio-admin sandbox [options]

  Options
    --port N             Port on 127.0.0.1 (default 0: any free port)
    --token T            The access token to accept (default: a random one)
    --faults PROFILE     ${profiles} (default none)
    --latency MS         Added to every API response
    --seed demo|empty    demo: account "Undlm Studio" with UNDLM_DOCU and hundreds of files (default)
    --no-rate-limits     Do not answer 429 when an endpoint's bucket is empty
    --activity           Background activity: new versions appear every few seconds

  Serves the v4 API (/v4), an S3-like part endpoint, Adobe IMS (/ims) and a Discord webhook sink.
  Point any command at it with the printed export line. Stop it with Ctrl-C.`;

function parseInteger(name: string, raw: string | undefined, min: number, max: number): number | undefined {
	if (raw === undefined) return undefined;
	if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got "${raw}"`);
	return Number(raw);
}

export default defineCommand({
	help: `frameio-admin sandbox: run the built-in Frame.io v4 simulator

  ${usage}`,
	flags: {
		port: {type: 'string'},
		token: {type: 'string'},
		faults: {type: 'string'},
		latency: {type: 'string'},
		seed: {type: 'string', default: 'demo'},
		rateLimits: {type: 'boolean', default: true},
		activity: {type: 'boolean', default: false},
	},
	async run(cli, io) {
		const flags = cli.flags;
		if (cli.input.length > 0) throw new UsageError(`unexpected argument "${cli.input[0]}"\n\n  ${usage}`);
		const port = parseInteger('port', flags.port, 0, 65_535);
		const latency = parseInteger('latency', flags.latency, 0, 600_000);
		if (flags.seed !== 'demo' && flags.seed !== 'empty') throw new UsageError(`--seed must be demo or empty, got "${flags.seed}"`);
		const profileName = flags.faults ?? 'none';
		if (!(profileName in NAMED_PROFILES)) throw new UsageError(`--faults must be one of ${profiles}, got "${profileName}"`);
		if (flags.token !== undefined && !/^[\x21-\x7e]{8,}$/.test(flags.token)) throw new UsageError('--token must be at least 8 printable characters, without spaces');
		const faults: FaultProfile = {...NAMED_PROFILES[profileName], ...(latency !== undefined ? {latencyMs: latency} : {})};

		let sandbox: Sandbox;
		try {
			sandbox = await startSandbox({
				port,
				token: flags.token,
				seed: flags.seed,
				faults,
				enforceRateLimits: flags.rateLimits,
				activity: flags.activity,
			});
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code;
			if (code === 'EADDRINUSE') io.stderr.write(`frameio-admin: port ${port} on 127.0.0.1 is already in use\n`);
			else io.stderr.write(`frameio-admin: the sandbox could not start: ${(error as Error).message}\n`);
			return EXIT.failed;
		}

		printStarted(io, sandbox, {json: flags.json, seed: flags.seed, faults: profileName, latency, rateLimits: flags.rateLimits, activity: flags.activity});
		await new Promise<void>(resolve => {
			const stop = () => {
				process.off('SIGINT', stop);
				process.off('SIGTERM', stop);
				resolve();
			};
			process.on('SIGINT', stop);
			process.on('SIGTERM', stop);
		});
		await sandbox.close();
		if (!flags.json) note(io, 'sandbox stopped');
		return EXIT.ok;
	},
});

type Shown = {json: boolean; seed: string; faults: string; latency?: number; rateLimits: boolean; activity: boolean};

function printStarted(io: Io, sandbox: Sandbox, shown: Shown): void {
	const exportLine = `export FRAMEIO_API_URL=${sandbox.url} FRAMEIO_IMS_URL=${sandbox.imsUrl} FRAMEIO_TOKEN=${sandbox.token} FRAMEIO_ACCOUNT_ID=${sandbox.ids.accountId} FRAMEIO_PROJECT_ID=${sandbox.ids.projectId}`;
	if (shown.json) {
		io.stdout.write(
			`${JSON.stringify({
				url: sandbox.url,
				imsUrl: sandbox.imsUrl,
				token: sandbox.token,
				tokenNote: "the sandbox's own token, not a Frame.io credential",
				discordWebhookUrl: sandbox.discordWebhookUrl,
				ids: sandbox.ids,
				seed: shown.seed,
				faults: shown.faults,
				latencyMs: shown.latency ?? 0,
				rateLimits: shown.rateLimits,
				activity: shown.activity,
				imsClient: {clientId: 'sandbox-client', clientSecret: 'sandbox-secret'},
				export: exportLine,
			})}\n`,
		);
		return;
	}
	const lines = [
		`Frame.io v4 sandbox running (seed ${shown.seed}, faults ${shown.faults}${shown.latency ? `, +${shown.latency} ms` : ''}, rate limits ${shown.rateLimits ? 'on' : 'off'}${shown.activity ? ', activity on' : ''})`,
		'',
		`  API URL     ${sandbox.url}`,
		`  IMS URL     ${sandbox.imsUrl}   (client sandbox-client / sandbox-secret)`,
		`  Token       ${sandbox.token}`,
		"              ^ the sandbox's own token: not a Frame.io credential, safe to paste",
		`  Account     ${sandbox.ids.accountId}`,
		`  Workspace   ${sandbox.ids.workspaceId}`,
		`  Project     ${sandbox.ids.projectId} (UNDLM_DOCU, root folder ${sandbox.ids.rootFolderId})`,
		`  WIP_BYSHOT  ${sandbox.ids.wipFolderId}`,
		`  Discord     ${sandbox.discordWebhookUrl}   (webhook sink)`,
		'',
		`  ${exportLine}`,
		'',
		'Press Ctrl-C to stop.',
		'',
	];
	io.stdout.write(lines.join('\n'));
}
