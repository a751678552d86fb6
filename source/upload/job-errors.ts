/** A job failed for a reason the user should read as is ("part 3/7 failed after 4 attempts: HTTP 500"). */
export class JobError extends Error {
	override readonly name = 'JobError';
}

/** The abort reason when the user cancels a job. */
export class CancelledError extends Error {
	override readonly name = 'CancelledError';
	constructor() {
		super('cancelled');
	}
}

/** The abort reason when the queue shuts down: the job stays resumable. */
export class ShutdownError extends Error {
	override readonly name = 'ShutdownError';
	constructor() {
		super('queue closed');
	}
}
