/** A config file that cannot be used; message is `file:line:col: what is wrong`. */
export class ConfigError extends Error {
	constructor(
		readonly file: string,
		readonly line: number,
		readonly column: number,
		readonly problem: string,
	) {
		super(`${file}:${line}:${column}: ${problem}`);
		this.name = 'ConfigError';
	}
}
