// `test-upload FILE SCENE SHOT` (the seed's command): one file into the SCENE/SHOT folder, found or created, with
// progress; then verified (size and upload status) and described: file id, view_url, size, folder path. It uses an
// in-memory queue, so it never waits for (or changes) the persisted queue of a running console or `upload`.
import {printable} from '../format/printable.js';
import path from 'node:path';
import type {UploadEvent} from '../events/index.js';
import {targetFlags, targetHelp} from './kit/target-flags.js';
import {loadConfig} from '../config/index.js';
import {resolvePaths} from '../config/paths.js';
import {compile, FolderMappingError} from '../nomenclature/index.js';
import {createReporter, silentReporter} from './upload/create-reporter.js';
import {checkFolderName, CREATE_FOLDERS_HINT, durationFlag, localFile} from './upload/flag-values.js';
import {EXIT_INTERRUPTED} from './upload/interrupt.js';

import {checkOutcome, remoteListingsFor} from './upload/remote-listings.js';
import {stackFields} from './upload/json-reporter.js';
import {describeStack} from '../upload/version-stacker.js';
import {formatBytes} from '../format/bytes.js';
import {formatSpeed, mbps} from '../format/speed.js';
import {drainedOrInterrupted, runUploadCommand} from './upload/upload-command-run.js';
import {defineCommand, EXIT, UsageError} from './kit/command.js';

export default defineCommand({
	help: `
Usage
  $ frameio-admin test-upload FILE SCENE SHOT [options]

Uploads FILE into the folder of SCENE/SHOT below the project's root folder (the layout of
config/nomenclature.json, by default WIP_BYSHOT/SCENE/SHOT), creating the folders that are missing (looked up
first, never duplicated). Shows progress, then verifies the upload (size and upload status) and prints the file
id, its view_url, its size and the folder path.

A SCENE or SHOT folder that does not exist yet is created only when it fits the layout (a name the naming
patterns map to, e.g. SC01_SEQ01 and UNDLM_00042) and differs from every existing folder beside it by more than
case; otherwise the command names the nearest existing folder and stops (exit 2).

A file already in that folder (same name and size, loose or inside a version stack) is not uploaded again: the
command says so and exits 0. A file of the same name and another size is refused (exit 1), and so is a version
older than its shot's version stack head. --force uploads in every case. With version stacking on
(uploads.version_stacking), a file whose name parses to a shot and version joins that shot's version stack, and
the output says where ("stacked on v001").

Options
  --create-folders      Create a missing SCENE or SHOT folder as given, even when it does not fit the layout
  --force               Upload even when the folder already has a file of that name, or a newer version stack head
  --no-progress         No progress display
  --stats-interval T    Without a terminal: a progress line every T (default 5s)
  --json                One final object: {id, view_url, file_size, folder_id, folder_path, seconds, mbps, stack}
                        (or {skipped: true, reason, id, …} when the file was already there)

${targetHelp}

Exit codes: 0 uploaded and verified (or already there), 1 the upload or its verification failed or the file was
refused, 2 usage or setup error
(missing FILE, a SCENE/SHOT that cannot be a folder name or that would be a new folder off the layout,
no credentials, no project)

Examples
  $ frameio-admin test-upload renders/UNDLM_SEQ01_00042_v002.mp4 SC01_SEQ01 UNDLM_00042
  $ frameio-admin test-upload clip.mov SC02_SEQ02 UNDLM_00100 --project-id 8d1f… --json
  $ frameio-admin test-upload clip.mov SC01_SEQ01 UNDLM_00042 --sandbox`,
	flags: {
		...targetFlags,
		progress: {type: 'boolean', default: true},
		statsInterval: {type: 'string', default: '5s'},
		createFolders: {type: 'boolean', default: false},
		force: {type: 'boolean', default: false},
	},
	async run(cli, io) {
		const {flags} = cli;
		if (cli.input.length !== 3) {
			throw new UsageError(
				cli.input.length < 3 ? `missing ${['FILE', 'SCENE', 'SHOT'].slice(cli.input.length).join(' and ')}: usage: frameio-admin test-upload FILE SCENE SHOT` : `unexpected argument "${cli.input[3]}": usage: frameio-admin test-upload FILE SCENE SHOT`,
			);
		}
		const [fileArg, scene, shot] = cli.input as [string, string, string];
		const statsIntervalMs = durationFlag(flags.statsInterval, 'stats-interval');
		const file = localFile(fileArg);
		checkFolderName('SCENE', scene);
		checkFolderName('SHOT', shot);
		const paths = resolvePaths(flags);
		// The folder path is worked out before any network, so a bad SCENE/SHOT is a usage error.
		let folderPath: string[];
		try {
			folderPath = compile(loadConfig(paths.configDir).nomenclature).folderPathFor({scene, shot});
		} catch (error) {
			if (error instanceof FolderMappingError) throw new UsageError(`no folder for SCENE ${scene} / SHOT ${shot}: ${error.message}`);
			throw error;
		}
		const name = path.basename(file.path);
		const reporter = flags.json ? silentReporter() : createReporter(io, {json: false, progress: flags.progress, statsIntervalMs, showQueued: false, showResults: false});
		// No live monitoring: a test upload is one file that someone watches and whose exit code says how it went. No
		// rule's window fills in those seconds, and a failed test would only page Discord (upload_failure_rate) about
		// what its own output already says.
		return runUploadCommand({paths, flags, reporter, stderr: io.stderr, queue: {persist: false, note: text => io.stderr.write(`note: ${text}\n`)}, liveMonitoring: false}, async ({context, queue, session, interrupts}) => {
			if (!flags.createFolders) {
				const verdict = await context.folderGuard().check(folderPath, CREATE_FOLDERS_HINT);
				if (!verdict.ok) {
					io.stderr.write(`frameio-admin: ${verdict.message}\n`);
					return EXIT.usage;
				}
			}
			const folderId = await context.folders.resolve(folderPath);
			const folder = folderPath.join('/');
			if (!flags.force) {
				const check = await remoteListingsFor(context).check(folderId, name, file.size);
				const outcome = checkOutcome(check, {name, path: file.path, size: file.size, folder});
				if (outcome.action === 'refuse') {
					io.stderr.write(`frameio-admin: refused ${printable(name)}: ${printable(outcome.refusal.reason)}\n`);
					return EXIT.failed;
				}
				if (outcome.action === 'skip' && check.verdict === 'present') {
					const existing = check.file;
					if (flags.json) {
						io.stdout.write(
							`${JSON.stringify({skipped: true, reason: outcome.skip.reason, id: existing.id, name: existing.name, view_url: existing.view_url, file_size: existing.file_size, status: existing.status, folder_id: folderId, folder_path: folder})}\n`,
						);
					} else {
						io.stdout.write(
							[
								`skipped: ${printable(name)} is already in ${folder}: ${outcome.skip.reason} (--force uploads it again)`,
								`  file id   ${printable(existing.id)}`,
								`  view_url  ${printable(existing.view_url)}`,
								`  size      ${existing.file_size} bytes (${formatBytes(existing.file_size)}), status ${printable(existing.status)}`,
							].join('\n') + '\n',
						);
					}
					return EXIT.ok;
				}
			}
			let run: UploadEvent | undefined;
			const offBus = context.app.bus.on(event => {
				if (event.type === 'upload') run = event;
			});
			try {
				const job = session.add({path: file.path, targetFolderId: folderId, target: {folder: folderPath.join('/')}});
				if (!flags.json) io.stdout.write(`uploading ${printable(name)} (${formatBytes(file.size)}) to ${folderPath.join('/')}\n`);
				session.start();
				const interrupted = await drainedOrInterrupted(session, interrupts);
				if (interrupted) {
					// A test upload is not worth resuming: cancel it, which deletes its placeholder.
					await queue.cancel(job.id);
					session.close();
					io.stderr.write('frameio-admin: interrupted; the test upload was cancelled\n');
					return EXIT_INTERRUPTED;
				}
				session.close();
				const finished = queue.get(job.id);
				if (!finished || finished.state !== 'done' || !finished.fileId) {
					io.stderr.write(`frameio-admin: upload of ${printable(name)} failed: ${printable(finished?.error ?? finished?.state ?? 'unknown')}\n`);
					return EXIT.failed;
				}
				// Verified again here, as the seed asks, from what Frame.io says now.
				const {client} = context.app;
				const [remoteFile, status] = await Promise.all([client.file(context.accountId, finished.fileId), client.fileStatus(context.accountId, finished.fileId)]);
				const problems: string[] = [];
				if (remoteFile.file_size !== file.size) problems.push(`Frame.io has ${remoteFile.file_size} bytes, the local file ${file.size}`);
				if (!status.upload_complete) problems.push('Frame.io does not report the upload complete');
				if (status.upload_failed) problems.push('Frame.io reports the upload failed');
				if (problems.length > 0) {
					io.stderr.write(`frameio-admin: verification of ${printable(name)} failed: ${problems.join('; ')}\n`);
					return EXIT.failed;
				}
				const seconds = run?.seconds ?? 0;
				const result = {
					id: remoteFile.id,
					name: remoteFile.name,
					view_url: remoteFile.view_url,
					file_size: remoteFile.file_size,
					status: remoteFile.status,
					folder_id: folderId,
					folder_path: folderPath.join('/'),
					seconds: Math.round(seconds * 1000) / 1000,
					mbps: mbps(run?.bytes ?? file.size, seconds),
					stack: finished.stack ? stackFields(finished.stack) : null,
				};
				if (flags.json) io.stdout.write(`${JSON.stringify(result)}\n`);
				else {
					io.stdout.write(
						[
							`uploaded and verified: ${printable(remoteFile.name)}`,
							`  file id   ${printable(result.id)}`,
							`  view_url  ${printable(result.view_url)}`,
							`  size      ${result.file_size} bytes (${formatBytes(result.file_size)}), matches the local file; upload complete, status ${printable(result.status)}`,
							`  folder    ${result.folder_path} (id ${folderId})`,
							`  time      ${seconds.toFixed(2)} s, ${formatSpeed((run?.bytes ?? file.size) / Math.max(seconds, 0.001))}`,
							...(finished.stack ? [`  stack     ${printable(describeStack(finished.stack))}${finished.stack.stackId ? `; version stack ${finished.stack.stackId}` : ''}`] : []),
						].join('\n') + '\n',
					);
				}
				return EXIT.ok;
			} finally {
				offBus();
			}
		});
	},
});
