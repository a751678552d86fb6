import {loadConfigLenient} from '../config-files.js';
import {fail, pass, type HealthCheck} from '../types.js';

/** Reads config/*.json again on every run, so that an edit made while the console runs is caught. */
export function configCheck(configDir: string): HealthCheck {
	return {
		id: 'config',
		name: 'Configuration valid',
		async run() {
			const {reports, errors} = loadConfigLenient(configDir);
			if (errors.length > 0) return fail(errors.map(error => error.message).join('; '));
			const present = reports.filter(report => report.exists).map(report => report.file);
			const defaults = reports.filter(report => !report.exists).map(report => `${report.name}.json`);
			const parts = [present.length > 0 ? `${present.join(', ')} valid` : '', defaults.length > 0 ? `defaults for ${defaults.join(', ')} (no file)` : ''];
			return pass(parts.filter(Boolean).join('; '));
		},
	};
}
