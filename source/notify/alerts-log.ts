import {closeSync, fchmodSync, fstatSync, openSync, writeSync} from 'node:fs';
import path from 'node:path';
import type {Logger} from 'pino';
import {ensurePrivateDir} from '../log/private-dir.js';
import {formatTimestamp} from '../log/human-format.js';
import {redactText} from '../log/redact.js';
import type {AlertRecord} from '../metrics/alert-engine.js';

const levelLabel = {info: 'INFO', warning: 'WARNING', error: 'ERROR', critical: 'CRITICAL'} as const;
const pinoLevel = {info: 'info', warning: 'warn', error: 'error', critical: 'fatal'} as const;

/**
 * `2025-01-07 14:30:15 - frameio.alerts - ERROR - FIRING error_rate on render-07: API error rate 7.5 % > 5 % (window
 * 5 min) - action: run …`, on one line. A resolved notice names the host and has no action.
 */
export function formatAlertLine(alert: AlertRecord): string {
	const firing = alert.state === 'firing';
	const level = firing ? levelLabel[alert.level] : 'INFO';
	const window = alert.display.window ? ` (window ${alert.display.window})` : '';
	const action = firing ? ` - action: ${alert.action}` : '';
	return `${formatTimestamp(new Date(alert.at))} - frameio.alerts - ${level} - ${alert.state.toUpperCase()} ${alert.rule} on ${alert.host}: ${alert.display.summary}${window}${action}`;
}

export type AlertsLog = {
	readonly file: string;
	write(alert: AlertRecord): void;
};

/** Appends to a file that is the user's alone (0600), whatever the umask or the mode an older version left. */
function appendPrivately(file: string, text: string): void {
	const fd = openSync(file, 'a', 0o600);
	try {
		if ((fstatSync(fd).mode & 0o777) !== 0o600) fchmodSync(fd, 0o600);
		writeSync(fd, text);
	} finally {
		closeSync(fd);
	}
}

/**
 * Appends one human line per alert to <logsDir>/<log_file> and logs the alert on frameio.alerts.
 * Synchronous on purpose: alerts are rare, and a line written before a crash is the one that matters.
 */
export function createAlertsLog(options: {logsDir: string; fileName: string; logger: Logger}): AlertsLog {
	const file = path.resolve(options.logsDir, options.fileName);
	let dirReady = false;
	return {
		file,
		write(alert) {
			const line = redactText(formatAlertLine(alert));
			try {
				if (!dirReady) {
					ensurePrivateDir(path.dirname(file));
					dirReady = true;
				}
				appendPrivately(file, `${line}\n`);
			} catch (error) {
				options.logger.error({code: (error as NodeJS.ErrnoException).code}, `alerts log: cannot append to ${path.basename(file)}`);
			}
			// `level` is pino's own key, so the alert's level goes under another name.
			const fields = {
				rule: alert.rule,
				state: alert.state,
				alertLevel: alert.level,
				value: alert.value,
				threshold: alert.threshold,
				windowSeconds: alert.windowSeconds,
				host: alert.host,
				...(alert.state === 'firing' ? {action: alert.action} : {}),
			};
			const method = alert.state === 'resolved' ? 'info' : pinoLevel[alert.level];
			options.logger[method](fields, `${alert.state.toUpperCase()} ${alert.rule}: ${alert.message}`);
		},
	};
}
