// logs/frameio_optimization_report_YYYYMMDD_HHMMSS.txt, the seed's name, in local time like the log lines.
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {ensurePrivateDir} from '../../log/private-dir.js';
import {redactText} from '../../log/redact.js';

const pad = (n: number) => String(n).padStart(2, '0');

export function reportFileName(date: Date): string {
	const day = `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}`;
	const time = `${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`;
	return `frameio_optimization_report_${day}_${time}.txt`;
}

/** Writes the text (scrubbed of any secret) under a fresh name; a second report in the same second gets `_2`. */
export function writeReportFile(logsDir: string, date: Date, text: string): string {
	ensurePrivateDir(logsDir);
	const base = reportFileName(date).replace(/\.txt$/, '');
	for (let n = 1; ; n++) {
		const file = path.join(logsDir, n === 1 ? `${base}.txt` : `${base}_${n}.txt`);
		try {
			// A new file every time ('wx'), so the mode applies: a report names the account, its users and hosts.
			writeFileSync(file, redactText(text), {flag: 'wx', mode: 0o600});
			return file;
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || n >= 100) throw error;
		}
	}
}
