import {statSync} from 'node:fs';
import path from 'node:path';
import {loadConfigLenient} from '../../config/lenient-load.js';
import {fail, pass, type CheckOutcome, type HealthCheck} from './types.js';

const FILES = ['optimization.json', 'alerts.json', 'nomenclature.json'];

/** Size and mtime of each config file (or its absence): what must change for a file to read differently. */
function fingerprint(configDir: string): string {
	return FILES.map(name => {
		try {
			const stats = statSync(path.join(configDir, name));
			return `${stats.size}:${Math.trunc(stats.mtimeMs)}`;
		} catch {
			return '-';
		}
	}).join('|');
}

/**
 * Reads config/*.json again on a run after any of them changed, so that an edit made while the console runs is
 * caught; an unchanged set of files keeps the last verdict (the console re-runs health on its clock, and parsing
 * and validating three files each time is most of an idle run's work).
 */
export function configCheck(configDir: string): HealthCheck {
	let last: {fingerprint: string; outcome: CheckOutcome} | null = null;
	return {
		id: 'config',
		name: 'Configuration valid',
		async run() {
			const before = fingerprint(configDir);
			if (last && last.fingerprint === before) return last.outcome;
			const {reports, errors} = loadConfigLenient(configDir);
			let outcome: CheckOutcome;
			if (errors.length > 0) outcome = fail(errors.map(error => error.message).join('; '));
			else {
				const present = reports.filter(report => report.exists).map(report => report.file);
				const defaults = reports.filter(report => !report.exists).map(report => `${report.name}.json`);
				const parts = [present.length > 0 ? `${present.join(', ')} valid` : '', defaults.length > 0 ? `defaults for ${defaults.join(', ')} (no file)` : ''];
				outcome = pass(parts.filter(Boolean).join('; '));
			}
			// A file written while it was being read gets read again next time.
			last = fingerprint(configDir) === before ? {fingerprint: before, outcome} : null;
			return outcome;
		},
	};
}
