// A TCP port given on the command line (--webhook-port): 1-65535, or 0 for any free port.

export function parsePort(value: string | number | undefined, flag: string): number | undefined {
	if (value === undefined) return undefined;
	const text = String(value).trim();
	const port = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
	if (!(port >= 0 && port <= 65_535)) throw new RangeError(`${flag} must be a TCP port from 1 to 65535 (0: any free port), got ${JSON.stringify(String(value).slice(0, 40))}`);
	return port;
}
