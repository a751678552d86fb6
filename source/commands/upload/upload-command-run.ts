// The lifecycle every upload command shares: Ctrl-C/SIGTERM watched, the app, its live monitoring (upload and watch),
// its upload graph and the queue opened, a session on them, the command's own work, then everything closed again in
// order, and any failure reported the same way.
import {openLiveMonitoring, type LiveMonitoring, type MetricsChoice} from '../../app/live-monitoring.js';
import {openApp, type App, type TargetFlagValues} from '../../app/open-app.js';
import {openUploadGraph, openUploadQueue, type UploadGraph, type UploadQueueChoice} from '../../app/upload-graph.js';
import type {Paths} from '../../config/paths.js';
import type {UploadQueue} from '../../upload/upload-queue.js';
import {reportCommandFailure} from './failure.js';
import {watchInterrupts, type Interrupts} from './interrupt.js';
import type {UploadReporter} from './report-types.js';
import {UploadSession} from './upload-session.js';

export type UploadCommandScope = {context: UploadGraph; queue: UploadQueue; session: UploadSession; interrupts: Interrupts};

export type UploadCommandOptions = {
	paths: Paths;
	flags: TargetFlagValues & {sandbox: boolean; allowInsecureHttp?: boolean};
	reporter: UploadReporter;
	stderr: NodeJS.WritableStream;
	queue: UploadQueueChoice;
	/**
	 * Sample CPU and RSS, probe the API and evaluate the alert rules while the command runs, as the console does, and
	 * serve Prometheus /metrics when asked: `upload` and `watch` are what a render node runs for hours. `test-upload`
	 * does not (false; see there).
	 */
	liveMonitoring: false | (MetricsChoice & {role: 'watch' | 'upload'});
};

/**
 * How long a command waits at its end for the alerts it raised to reach Discord: they are in alerts.log already, and
 * a render node's next job must not wait on Discord. One delivery takes well under a second.
 */
export const ALERT_FLUSH_MS = 5000;

/** Runs `work` with an open context, queue and session; returns its exit code, or the failure's. */
export async function runUploadCommand(options: UploadCommandOptions, work: (scope: UploadCommandScope) => Promise<number>): Promise<number> {
	let app: App | undefined;
	let monitoring: LiveMonitoring | undefined;
	const interrupts = watchInterrupts();
	try {
		app = await openApp({paths: options.paths, sandbox: options.flags.sandbox, allowInsecureHttp: options.flags.allowInsecureHttp, targetFlags: options.flags});
		if (options.liveMonitoring) {
			monitoring = await openLiveMonitoring(app, options.liveMonitoring);
			const {prometheus} = monitoring;
			if (prometheus.url !== null) options.reporter.note(`serving Prometheus metrics on ${prometheus.url}`);
			else if (prometheus.warning) options.reporter.note(prometheus.warning);
		}
		const context = await openUploadGraph(app);
		const queue = await openUploadQueue(context, {role: options.liveMonitoring ? options.liveMonitoring.role : undefined, ...options.queue});
		monitoring?.showUploads(() => queue.snapshot());
		const session = new UploadSession(queue, app.bus, options.reporter);
		try {
			return await work({context, queue, session, interrupts});
		} finally {
			session.close();
			await queue.close();
		}
	} catch (error) {
		return reportCommandFailure(error, app?.api.auth.source, options.reporter, options.stderr);
	} finally {
		interrupts.dispose();
		if (monitoring) {
			// Judged once more, so that a run shorter than one sampling interval is judged at all, then delivered.
			monitoring.stop({evaluate: true});
			await monitoring.flush(ALERT_FLUSH_MS);
		}
		await app?.close();
	}
}

/** Resolves true when Ctrl-C (or SIGTERM) came before the session's uploads were all finished. */
export function drainedOrInterrupted(session: UploadSession, interrupts: Interrupts): Promise<boolean> {
	return Promise.race([session.drained().then(() => false), interrupts.first.then(() => true)]);
}
