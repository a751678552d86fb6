// `watch DIR`: uploads the files that appear in DIR once their size is stable, each into the folder its name maps to
// with the naming patterns, through the persisted upload queue (a restart resumes what was running). Names that do
// not match are logged and skipped with the reason; a file already in its target folder (same name and size, every
// page of the folder listed) is skipped. `--once` scans, uploads and exits, for cron and tests.
import {printable} from '../format/printable.js';
import {stat} from 'node:fs/promises';
import path from 'node:path';
import {targetFlags, targetHelp} from './kit/target-flags.js';
import {resolvePaths} from '../config/paths.js';
import {oneLineFailure} from '../nomenclature/index.js';
import {commandFailure} from './kit/failure.js';
import type {UploadGraph} from '../app/upload-graph.js';
import {stopGracefully} from './upload/stop-gracefully.js';
import {createReporter} from './upload/create-reporter.js';
import {DirScanner, type ScannedFile} from './upload/dir-scanner.js';
import {checkOutcome, remoteListingsFor} from './upload/remote-listings.js';
import {durationFlag, METRICS_PORT_HELP, metricsPortFlag, parallelFlag} from './upload/flag-values.js';
import type {Interrupts} from './upload/interrupt.js';

import {drainedOrInterrupted, runUploadCommand} from './upload/upload-command-run.js';
import type {UploadSession} from './upload/upload-session.js';
import type {UploadQueue} from '../upload/upload-queue.js';
import {errorMessage} from '../upload/upload-api.js';
import {openWebhookReceiver} from '../app/webhook-receiver.js';
import {parsePort} from '../format/port.js';
import {defineCommand, EXIT, UsageError} from './kit/command.js';

export default defineCommand({
	help: `
Usage
  $ frameio-admin watch DIR [options]

Watches DIR (not its sub-directories) and uploads each new file once its size has not changed for --stable,
into the folder its name maps to with the naming patterns (config/nomenclature.json), found or created. A name
that does not match is logged and skipped with the reason. A file that is already in its target folder (same
name and same size, loose or inside a version stack) is skipped, so a restart sends only what is missing; one of
the same name and another size is refused, and so is a version older than its shot's version stack head (see
\`upload --help\` on version stacking). --force uploads them anyway. Uploads go through the persisted queue:
after a crash or a kill, the next start resumes them (with --sandbox the queue is in memory only). Runs until
Ctrl-C or SIGTERM (unfinished uploads resume on the next start).

While it runs, it samples its CPU and memory, probes the API and evaluates the alert rules of config/alerts.json
like the console: alerts go to logs/alerts.log and Discord, naming this host (FRAMEIO_NODE_NAME, else the host
name) and the recommended action.

Options
  --interval T          How often DIR is scanned (default 2s)
  --stable T            A file is uploaded once its size and time have not changed for T (default 2s)
  --once                Scan once, upload what is there, exit (for cron)
  --parallel N          Files uploading at once (default: upload_optimization.max_concurrent_uploads)
  --no-progress         No progress display: only the result lines
  --stats-interval T    Without a terminal: a progress summary line every T (default 5s)
  --force               Upload even a file already in its target folder, or older than its stack's head
  --webhook-port N      Receive Frame.io webhooks on 127.0.0.1:N (create one with \`webhook create\`): a file
                        or folder changed by anyone drops its cached listings at once (this process's and, through
                        the shared cache, every console's on this machine) instead of after cache_ttl. Deliveries
                        are checked (HMAC-SHA256 signature, timestamp within 5 min); bad ones get a 401
  --webhook-host ADDR   Bind the receiver to ADDR instead of 127.0.0.1 (e.g. 0.0.0.0 behind a reverse proxy)
${METRICS_PORT_HELP}
  --json                NDJSON events on stdout: queued, progress, done, failed, refused, skipped, summary

${targetHelp}

Exit codes: 0 every upload succeeded, 1 an upload failed or a file was refused, 2 usage or setup error

Examples
  $ frameio-admin watch /renders/out
  $ frameio-admin watch /renders/out --once --stable 10s     # from cron
  $ frameio-admin watch /renders/out --interval 5s --json >> watch.ndjson`,
	flags: {
		...targetFlags,
		interval: {type: 'string', default: '2s'},
		stable: {type: 'string', default: '2s'},
		once: {type: 'boolean', default: false},
		parallel: {type: 'number'},
		progress: {type: 'boolean', default: true},
		statsInterval: {type: 'string', default: '5s'},
		force: {type: 'boolean', default: false},
		webhookPort: {type: 'string'},
		webhookHost: {type: 'string'},
		metricsPort: {type: 'string'},
	},
	async run(cli, io) {
		const {flags} = cli;
		if (cli.input.length !== 1) throw new UsageError(cli.input.length === 0 ? 'give the DIR to watch' : `watch takes one DIR, got ${cli.input.length} arguments`);
		const intervalMs = durationFlag(flags.interval, 'interval', {zeroReason: 'DIR would be scanned again and again without a pause, at full CPU; give at least 1s (the default is 2s)'});
		const stableMs = durationFlag(flags.stable, 'stable', {allowZero: true});
		const statsIntervalMs = durationFlag(flags.statsInterval, 'stats-interval', {zeroReason: 'a summary line without a pause would bury the results; give at least 1s (the default is 5s)'});
		const parallel = parallelFlag(flags.parallel);
		const webhook = webhookFlags(flags.webhookPort, flags.webhookHost);
		const metricsPort = metricsPortFlag(flags.metricsPort);
		const dir = path.resolve(cli.input[0]);
		const info = await stat(dir).catch(() => undefined);
		if (!info) throw new UsageError(`directory not found: ${printable(cli.input[0])}`);
		if (!info.isDirectory()) throw new UsageError(`not a directory: ${printable(cli.input[0])}`);

		const paths = resolvePaths(flags);
		const reporter = createReporter(io, {json: flags.json, progress: flags.progress, statsIntervalMs});
		const queueOptions = {parallel, note: (text: string) => reporter.note(text)};
		return runUploadCommand({paths, flags, reporter, stderr: io.stderr, queue: queueOptions, liveMonitoring: {role: 'watch', port: metricsPort}}, async ({context, queue, session, interrupts}) => {
			session.adoptResumed();
			// Deliveries drop the cached listings they touch, in this process and, through the shared cache file, in
			// every console of this box.
			const receiver = webhook ? await openWebhookReceiver(context.app, webhook) : undefined;
			if (receiver) reporter.note(`receiving Frame.io webhooks on ${receiver.url}`);
			try {
				const watcher = new Watcher(context, queue, session, new DirScanner(dir, stableMs), flags.once, flags.force);
				session.start();
				let interrupted = false;
				if (flags.once) {
					await watcher.scanOnce();
					interrupted = await drainedOrInterrupted(session, interrupts);
				} else {
					if (!flags.json) reporter.note(`watching ${dir} every ${flags.interval} (files stable for ${flags.stable}); Ctrl-C to stop`);
					interrupted = await watcher.loop(intervalMs, interrupts);
				}
				if (interrupted) await stopGracefully(queue, interrupts);
				const summary = session.summary(interrupted);
				reporter.summary(summary);
				session.close();
				if (!interrupted) {
					queue.clearFinished();
					await queue.close();
				}
				if (summary.pending > 0) {
					io.stderr.write(`frameio-admin: stopped with ${summary.pending} upload${summary.pending === 1 ? '' : 's'} not finished; they resume on the next start\n`);
				}
				return session.failures > 0 ? EXIT.failed : EXIT.ok;
			} finally {
				await receiver?.close();
			}
		});
	},
});

/** --webhook-port N [--webhook-host ADDR]: checked before anything opens. */
function webhookFlags(portFlag: string | undefined, hostFlag: string | undefined): {port: number; host?: string} | undefined {
	let port: number | undefined;
	try {
		port = parsePort(portFlag, '--webhook-port');
	} catch (error) {
		throw new UsageError((error as Error).message);
	}
	const host = hostFlag?.trim();
	if (host !== undefined && port === undefined) throw new UsageError('--webhook-host goes with --webhook-port');
	if (host === '') throw new UsageError('--webhook-host needs an address, e.g. 127.0.0.1 or 0.0.0.0');
	return port === undefined ? undefined : {port, host};
}

/** One scan: every stable, unhandled file is skipped (with the reason) or queued. */
class Watcher {
	/** Files whose check failed (API down): reported once, retried on every scan. */
	private readonly reportedErrors = new Set<string>();
	private finishedSinceClear = 0;

	constructor(
		private readonly context: UploadGraph,
		private readonly queue: UploadQueue,
		private readonly session: UploadSession,
		private readonly scanner: DirScanner,
		private readonly once: boolean,
		private readonly force: boolean,
	) {
		session.onFinished(() => this.finishedSinceClear++);
	}

	/** --once: a scan, a wait for files still settling (at most --stable), a second scan for those. */
	async scanOnce(): Promise<void> {
		const first = await this.scanner.scan();
		await this.handle(first.stable);
		const waitMs = Math.max(0, ...first.changing.map(file => file.waitMs));
		if (first.changing.length === 0) return;
		await new Promise(resolve => setTimeout(resolve, waitMs + 50));
		const second = await this.scanner.scan();
		await this.handle(second.stable);
		for (const file of second.changing) {
			this.session.skip({name: file.name, path: file.path, reason: file.size === 0 ? 'empty file' : 'still being written (its size is not stable yet)'});
		}
	}

	/** Until SIGINT/SIGTERM: true when stopped by one. */
	async loop(intervalMs: number, interrupts: Interrupts): Promise<boolean> {
		let stop = false;
		void interrupts.first.then(() => (stop = true));
		while (!stop) {
			try {
				const scan = await this.scanner.scan();
				await this.handle(scan.stable);
			} catch (error) {
				this.session.note(`cannot scan ${this.scanner.dir}: ${errorMessage(error)}`);
			}
			// The queue forgets finished jobs, so that memory stays flat however long this runs.
			if (this.finishedSinceClear > 0) {
				this.queue.clearFinished();
				this.finishedSinceClear = 0;
			}
			if (stop) break;
			let timer: NodeJS.Timeout | undefined;
			await Promise.race([new Promise(resolve => (timer = setTimeout(resolve, intervalMs))), interrupts.first]);
			clearTimeout(timer);
		}
		return true;
	}

	private async handle(files: ScannedFile[]): Promise<void> {
		if (files.length === 0) return;
		const {context} = this;
		const logger = context.app.logging.get('frameio.upload');
		// Jobs already in the queue (resumed, or queued by an earlier scan) are not queued twice.
		const inQueue = new Set(
			this.queue
				.snapshot()
				.jobs.filter(job => job.state === 'queued' || job.state === 'uploading' || job.state === 'verifying')
				.map(job => `${job.path}\u0000${job.size}`),
		);
		const listings = remoteListingsFor(context);
		for (const file of files) {
			const parsed = context.app.nomenclature.parse(file.name);
			if (!parsed.ok || !parsed.folderPath) {
				const reason = parsed.ok
					? `no target folder: ${printable(parsed.folderNote ?? 'the name maps to no folder')}`
					: `does not match the naming patterns: ${oneLineFailure(parsed)}`;
				logger.info({event: 'watch_skip', name: file.name, reason}, `watch: skipped ${printable(file.name)}: ${reason}`);
				this.session.skip({name: file.name, path: file.path, reason});
				this.scanner.markHandled(file.name);
				continue;
			}
			if (inQueue.has(`${file.path}\u0000${file.size}`)) {
				this.scanner.markHandled(file.name);
				continue;
			}
			const folder = parsed.folderPath.join('/');
			try {
				const folderId = await context.folders.resolve(parsed.folderPath);
				const outcome = this.force ? {action: 'add' as const} : checkOutcome(await listings.check(folderId, file.name, file.size), {name: file.name, path: file.path, size: file.size, folder});
				this.reportedErrors.delete(file.name);
				this.scanner.markHandled(file.name);
				if (outcome.action === 'skip') {
					logger.info({event: 'watch_skip', name: file.name, fileId: outcome.skip.fileId, folder}, `watch: ${printable(file.name)} is already in ${folder}`);
					this.session.skip(outcome.skip);
					continue;
				}
				if (outcome.action === 'refuse') {
					logger.warn({event: 'watch_refused', name: file.name, folder, reason: outcome.refusal.reason}, `watch: refused ${printable(file.name)}: ${outcome.refusal.reason}`);
					this.session.refuse(outcome.refusal);
					continue;
				}
				this.session.add({path: file.path, targetFolderId: folderId, target: context.jobTarget(parsed.folderPath)});
			} catch (error) {
				const failure = commandFailure(error, context.app.api.auth.source);
				const reason = `cannot check its target folder ${folder}: ${failure?.message ?? errorMessage(error)}`;
				if (this.once) {
					this.scanner.markHandled(file.name);
					this.session.refuse({name: file.name, path: file.path, reason});
				} else if (!this.reportedErrors.has(file.name)) {
					this.reportedErrors.add(file.name);
					this.session.note(`${printable(file.name)}: ${reason} (trying again on the next scan)`);
				}
				logger.warn({event: 'watch_check_failed', name: file.name, folder, err: error}, `watch: ${printable(file.name)}: ${reason}`);
			}
		}
		await this.queue.flush();
	}
}
