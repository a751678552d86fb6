/**
 * What of a presigned (or any) URL may be logged or shown: scheme, host and path. The query carries the
 * signature and credentials, so it never leaves this process.
 */
export function urlForLog(url: string): string {
	try {
		const parsed = new URL(url);
		return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
	} catch {
		return '<invalid url>';
	}
}
