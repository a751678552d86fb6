// The lifecycle every upload command shares: Ctrl-C/SIGTERM watched, the context and the queue opened, a session on
// them, the command's own work, then everything closed again in order, and any failure reported the same way.
import type {Paths} from '../../config/paths.js';
import type {UploadQueue} from '../upload-queue.js';
import {openUploadContext, type TargetFlagValues, type UploadContext} from './command-context.js';
import {openCommandQueue, type CommandQueueOptions} from './command-queue.js';
import {reportCommandFailure} from './failure.js';
import {watchInterrupts, type Interrupts} from './interrupt.js';
import type {UploadReporter} from './report-types.js';
import {UploadSession} from './upload-session.js';

export type UploadCommandScope = {context: UploadContext; queue: UploadQueue; session: UploadSession; interrupts: Interrupts};

export type UploadCommandOptions = {
	paths: Paths;
	flags: TargetFlagValues & {sandbox: boolean};
	reporter: UploadReporter;
	stderr: NodeJS.WritableStream;
	queue: CommandQueueOptions;
};

/** Runs `work` with an open context, queue and session; returns its exit code, or the failure's. */
export async function runUploadCommand(options: UploadCommandOptions, work: (scope: UploadCommandScope) => Promise<number>): Promise<number> {
	let context: UploadContext | undefined;
	const interrupts = watchInterrupts();
	try {
		context = await openUploadContext({paths: options.paths, sandbox: options.flags.sandbox, flags: options.flags});
		const queue = await openCommandQueue(context, options.queue);
		const session = new UploadSession(queue, context.runtime.bus, options.reporter);
		try {
			return await work({context, queue, session, interrupts});
		} finally {
			session.close();
			await queue.close();
		}
	} catch (error) {
		return reportCommandFailure(error, context, options.reporter, options.stderr);
	} finally {
		interrupts.dispose();
		await context?.close();
	}
}

/** Resolves true when Ctrl-C (or SIGTERM) came before the session's uploads were all finished. */
export function drainedOrInterrupted(session: UploadSession, interrupts: Interrupts): Promise<boolean> {
	return Promise.race([session.drained().then(() => false), interrupts.first.then(() => true)]);
}
