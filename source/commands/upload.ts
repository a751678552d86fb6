// `upload FILE...` / `upload --source-url URL --name NAME`: files into their scene/shot folders through the persisted
// queue, with progress, one result line per file and a summary. A run killed mid-way (even kill -9) is resumed by the
// next run; files a previous run finished are not uploaded again.
import path from 'node:path';
import {targetFlags, targetHelp} from './kit/target-flags.js';
import {resolvePaths} from '../config/paths.js';
import type {UploadJobSnapshot} from '../upload/job.js';
import {commandFailure} from './kit/failure.js';
import {stopGracefully} from './upload/stop-gracefully.js';
import {createReporter} from './upload/create-reporter.js';
import {CREATE_FOLDERS_HINT, durationFlag, localInputs, METRICS_PORT_HELP, metricsPortFlag, parallelFlag, sceneShotFlags} from './upload/flag-values.js';
import {EXIT_INTERRUPTED} from './upload/interrupt.js';
import {planTarget, type TargetChoice} from '../upload/name-target.js';
import {checkOutcome, remoteListingsFor} from './upload/remote-listings.js';
import {errorMessage} from '../upload/upload-api.js';
import {drainedOrInterrupted, runUploadCommand} from './upload/upload-command-run.js';
import {folderPathOf} from '../upload/job-target.js';
import type {UploadSession} from './upload/upload-session.js';
import {defineCommand, EXIT, UsageError} from './kit/command.js';

export default defineCommand({
	help: `
Usage
  $ frameio-admin upload FILE|DIR... [--scene SCENE --shot SHOT] [options]
  $ frameio-admin upload --source-url URL --name NAME [--scene SCENE --shot SHOT] [options]

Uploads each FILE (and each file directly in a DIR) into its folder below the project's root folder: the SCENE/SHOT folder of --scene/--shot, or
the folder its name maps to with the naming patterns (config/nomenclature.json), found or created. A name that
maps to no folder is refused with the reason; the other files go on. --source-url asks Frame.io to fetch a URL
instead (remote upload).

The queue is saved in the state dir: if the run is interrupted (Ctrl-C, a crash, kill -9), running the same
command again resumes the unfinished files, and files already finished are not uploaded twice. Failed files are
retried by running the same command again. Ctrl-C stops gracefully (no new part starts) and exits 130.
A file already in its target folder (same name and size, loose or inside a version stack) is skipped; one of
the same name and another size is refused (it would be a new version under an old name). --force uploads both.
Version stacking (uploads.version_stacking in config/optimization.json, on by default): a file whose name parses
to a shot and a version (UNDLM_SEQ01_00042_v002.mp4) joins that shot's version stack once uploaded: the stack is
created from the earlier versions lying loose in the folder, oldest to newest, or the file goes on top of the
existing stack ("stacked on v001"). A version older than the stack's head is refused, since Frame.io only adds a
version on top (--force uploads it loose beside the stack).
A scene or shot folder that does not exist yet is created only when it fits the layout (a name the naming
patterns map to, e.g. SC01_SEQ01 and UNDLM_00042) and differs from every folder beside it by more than case;
otherwise the file is refused with the nearest existing folder (--create-folders creates it as given).
With --sandbox the queue is kept in memory only: the in-process sandbox ends with the command.
While it runs, and once more at its end, the alert rules of config/alerts.json are evaluated like the console's:
alerts go to logs/alerts.log and Discord, naming this host (FRAMEIO_NODE_NAME, else the host name).

Options
  --scene SCENE         Scene folder, e.g. SC01_SEQ01 (with --shot; otherwise each name's mapping is used)
  --shot SHOT           Shot folder, e.g. UNDLM_00042
  --strict-names        Refuse every name that does not match the naming patterns, even with --scene/--shot
  --create-folders      Create missing scene/shot folders as given, even off the layout (e.g. --scene sc01_seq01)
  --force               Upload even when the target already has a file of that name (any size, loose or
                        stacked), or when the file is older than its shot's version stack head
  --parallel N          Files uploading at once (default: upload_optimization.max_concurrent_uploads)
  --no-progress         No progress display: only the result lines
  --stats-interval T    Without a terminal: a progress summary line every T (default 5s)
  --source-url URL      Remote upload: the URL Frame.io fetches (needs --name)
  --name NAME           The file name on Frame.io for --source-url
${METRICS_PORT_HELP}
  --json                NDJSON events on stdout: queued, progress, done, failed, refused, skipped, summary

${targetHelp}

Output (without a terminal, e.g. in cron)
  done    UNDLM_SEQ01_00042_v002.mp4  104.9 MB  12.3 MB/s  -> WIP_BYSHOT/SC01_SEQ01/UNDLM_00042 (id …)  stacked on v001
  skipped UNDLM_SEQ01_00042_v001.mp4  already uploaded (same name and size; stacked, version 1 of 2) in …

Exit codes: 0 every file uploaded, 1 a file failed or was refused, 2 usage or setup error, 130 interrupted

Examples
  $ frameio-admin upload renders/UNDLM_SEQ01_00042_v002.mp4 renders/UNDLM_SEQ01_00043_v001.mp4
  $ frameio-admin upload take3.mov --scene SC01_SEQ01 --shot UNDLM_00042
  $ frameio-admin upload renders/        # again tomorrow: only what is not on Frame.io yet is sent
  $ frameio-admin upload renders/*.mov --strict-names --json > upload.ndjson
  $ frameio-admin upload --source-url https://example.com/a.mp4 --name UNDLM_SEQ02_00100_v001.mp4`,
	flags: {
		...targetFlags,
		scene: {type: 'string'},
		shot: {type: 'string'},
		strictNames: {type: 'boolean', default: false},
		createFolders: {type: 'boolean', default: false},
		parallel: {type: 'number'},
		progress: {type: 'boolean', default: true},
		statsInterval: {type: 'string', default: '5s'},
		sourceUrl: {type: 'string'},
		name: {type: 'string'},
		force: {type: 'boolean', default: false},
		metricsPort: {type: 'string'},
	},
	async run(cli, io) {
		const {flags} = cli;
		const statsIntervalMs = durationFlag(flags.statsInterval, 'stats-interval');
		const parallel = parallelFlag(flags.parallel);
		const sceneShot = sceneShotFlags(flags.scene, flags.shot);
		const metricsPort = metricsPortFlag(flags.metricsPort);
		const choice: TargetChoice = {...sceneShot, strictNames: flags.strictNames};
		const remote = flags.sourceUrl !== undefined;
		if (remote) {
			if (cli.input.length > 0) throw new UsageError('give either FILE... or --source-url, not both');
			if (!flags.name) throw new UsageError('--source-url needs --name NAME (the file name on Frame.io)');
		} else {
			if (flags.name !== undefined) throw new UsageError('--name goes with --source-url (a local file keeps its own name)');
			if (cli.input.length === 0) throw new UsageError('give at least one FILE to upload (or --source-url URL --name NAME)');
		}
		// Every file is checked before anything is sent: a typo fails the command, not half of it.
		const inputs = remote ? {files: [], empty: []} : localInputs(cli.input);
		const files = unique(inputs.files);

		const paths = resolvePaths(flags);
		const reporter = createReporter(io, {json: flags.json, progress: flags.progress, statsIntervalMs});
		const queueOptions = {parallel, note: (text: string) => reporter.note(text)};
		return runUploadCommand({paths, flags, reporter, stderr: io.stderr, queue: queueOptions, liveMonitoring: {role: 'upload', port: metricsPort}}, async ({context, queue, session, interrupts}) => {
			const earlier = queue.snapshot().jobs;
			session.adoptResumed();

			const guard = context.folderGuard();
			/** Why the folders of this path must not be created (undefined: they exist, fit, or --create-folders). */
			const folderRefusal = async (folderPath: string[]): Promise<string | undefined> => {
				if (flags.createFolders) return undefined;
				try {
					const verdict = await guard.check(folderPath, CREATE_FOLDERS_HINT);
					return verdict.ok ? undefined : verdict.message;
				} catch (error) {
					const failure = commandFailure(error, context.app.api.auth.source);
					return `cannot check its target folder ${folderPath.join('/')}: ${failure?.message ?? errorMessage(error)}`;
				}
			};

			if (remote) {
				const plan = planTarget(flags.name!, context.app.nomenclature, choice);
				const refused = plan.ok ? await folderRefusal(plan.folderPath) : undefined;
				if (!plan.ok) session.refuse({name: flags.name!, reason: plan.reason, examples: plan.examples});
				else if (refused) session.refuse({name: flags.name!, reason: refused});
				else session.add({sourceUrl: flags.sourceUrl!, name: flags.name!, target: context.jobTarget(plan.folderPath)});
			}
			for (const file of inputs.empty) session.skip({name: path.basename(file), path: file, reason: 'empty file (still being written?)'});
			const listings = remoteListingsFor(context);
			// The queue starts with the first file planned: the next files' folders are found (or made) while it sends,
			// since folder listings and file creates draw on different rate limits. Each add is on disk before its
			// bytes leave, so a kill from then on is resumed, never forgotten.
			let started = false;
			const startOnce = async () => {
				if (started || session.pending === 0) return;
				started = true;
				await queue.flush();
				session.start();
			};
			for (const file of files) {
				// Ctrl-C while planning: what was added goes on to the graceful stop below; nothing more is added.
				if (interrupts.signalled) break;
				const name = path.basename(file.path);
				const plan = planTarget(name, context.app.nomenclature, choice);
				if (!plan.ok) {
					session.refuse({name, path: file.path, reason: plan.reason, examples: plan.examples});
					continue;
				}
				const refused = await folderRefusal(plan.folderPath);
				if (refused) {
					session.refuse({name, path: file.path, reason: refused});
					continue;
				}
				const folder = plan.folderPath.join('/');
				const previous = earlierJob(earlier, file, folder);
				// --force uploads again what an earlier run finished; unfinished and failed jobs are still taken up.
				if (previous && !(flags.force && previous.state === 'done') && !handleEarlier(previous, session)) continue;
				let targetFolderId: string | undefined;
				if (!flags.force) {
					try {
						targetFolderId = await context.folders.resolve(plan.folderPath);
						const outcome = checkOutcome(await listings.check(targetFolderId, name, file.size), {name, path: file.path, size: file.size, folder});
						if (outcome.action === 'skip') {
							session.skip(outcome.skip);
							continue;
						}
						if (outcome.action === 'refuse') {
							session.refuse(outcome.refusal);
							continue;
						}
					} catch (error) {
						const failure = commandFailure(error, context.app.api.auth.source);
						session.refuse({name, path: file.path, reason: `cannot check its target folder ${folder}: ${failure?.message ?? errorMessage(error)}`});
						continue;
					}
				}
				session.add({path: file.path, targetFolderId, target: context.jobTarget(plan.folderPath)});
				await startOnce();
			}
			await queue.flush();

			let interrupted = false;
			if (session.pending > 0) {
				await startOnce();
				interrupted = await drainedOrInterrupted(session, interrupts);
				if (interrupted) {
					if (!flags.json) reporter.note('interrupted: no new part starts; saving the queue (Ctrl-C again to stop at once)');
					await stopGracefully(queue, interrupts);
				}
			}
			const summary = session.summary(interrupted);
			reporter.summary(summary);
			session.close();
			if (interrupted) {
				io.stderr.write(`frameio-admin: interrupted with ${summary.pending} upload${summary.pending === 1 ? '' : 's'} not finished; resume with the same command\n`);
				return EXIT_INTERRUPTED;
			}
			// Done jobs are forgotten only after a complete run: after a crash they stay, so the rerun skips them.
			queue.clearFinished();
			await queue.close();
			if (session.failures > 0) {
				const failed = summary.failed + summary.refused;
				io.stderr.write(`frameio-admin: ${failed} file${failed === 1 ? '' : 's'} not uploaded${summary.failed > 0 ? ' (run the same command again to retry the failed ones)' : ''}\n`);
				return EXIT.failed;
			}
			return EXIT.ok;
		});
	},
});

const precedence: Record<UploadJobSnapshot['state'], number> = {queued: 0, uploading: 0, verifying: 0, failed: 1, done: 2, cancelled: 3};

/** The earlier job of the same file (same path, size and folder) that matters most: unfinished, failed, done. */
function earlierJob(jobs: UploadJobSnapshot[], file: {path: string; size: number}, folder: string): UploadJobSnapshot | undefined {
	return jobs
		.filter(job => job.kind === 'local' && job.path === file.path && job.size === file.size && folderPathOf(job) === folder)
		.sort((a, b) => precedence[a.state] - precedence[b.state])[0];
}

/** A file an earlier run of the queue already knows. True when it still has to be added as a new job. */
function handleEarlier(job: UploadJobSnapshot, session: UploadSession): boolean {
	switch (job.state) {
		case 'done':
			session.skip({name: job.name, path: job.path, reason: 'already uploaded by an earlier run', fileId: job.fileId, folderPath: folderPathOf(job)});
			return false;
		case 'failed':
			session.note(`retrying ${job.name} (it failed in an earlier run: ${job.error ?? 'unknown reason'})`);
			session.retry(job);
			return false;
		case 'cancelled':
			return true;
		default:
			// queued: resumed above.
			return false;
	}
}

function unique(files: Array<{path: string; size: number}>): Array<{path: string; size: number}> {
	const seen = new Set<string>();
	return files.filter(file => (seen.has(file.path) ? false : (seen.add(file.path), true)));
}
