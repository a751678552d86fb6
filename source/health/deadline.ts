// One deadline for a sequence of API calls (validate): each call is raced against it, and once it has passed every
// later call fails at once. The calls themselves are not cancelled; the command ends and closes the client.

export class DeadlineError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'DeadlineError';
	}
}

export type Deadline = {
	/** The work, or a DeadlineError when the deadline passes first. */
	race<T>(work: Promise<T>): Promise<T>;
	readonly expired: boolean;
	dispose(): void;
};

/** `what` explains the deadline in the message: "timed out after 2 s (monitoring.health_timeout_seconds)". */
export function startDeadline(ms: number, what: string): Deadline {
	const seconds = ms / 1000;
	const error = () => new DeadlineError(`timed out after ${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s (${what})`);
	let expired = false;
	let timer: NodeJS.Timeout | undefined;
	const passed = new Promise<never>((_resolve, reject) => {
		timer = setTimeout(() => {
			expired = true;
			reject(error());
		}, ms);
	});
	// Nobody may be racing when it passes.
	passed.catch(() => undefined);
	return {
		race: work => (expired ? Promise.reject(error()) : Promise.race([work, passed])),
		get expired() {
			return expired;
		},
		dispose: () => clearTimeout(timer),
	};
}

/** No deadline: the work as it is. */
export const noDeadline: Deadline = {race: work => work, expired: false, dispose() {}};
