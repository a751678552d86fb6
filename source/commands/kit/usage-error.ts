/** Exit codes, the same for every command. */
export const EXIT = {ok: 0, failed: 1, usage: 2} as const;

/** A problem the user can fix: printed without a stack, with the given exit code. */
export class UsageError extends Error {
	constructor(
		message: string,
		readonly exitCode: number = EXIT.usage,
	) {
		super(message);
		this.name = 'UsageError';
	}
}
