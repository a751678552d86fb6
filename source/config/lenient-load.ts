// Each config file on its own, so that health and validate report all three (loadConfig stops at the first bad one)
// and go on with the defaults in place of a file that cannot be used.
import path from 'node:path';
import {alertsDefaults, alertsSchema} from './alerts-schema.js';
import {ConfigError, type AppConfig} from './index.js';
import {loadConfigFile} from './load-config-file.js';
import {nomenclatureDefaults} from '../nomenclature/config-shape.js';
import {nomenclatureSchema} from '../nomenclature/schema.js';
import {optimizationDefaults, optimizationSchema} from './optimization-schema.js';
import {applySeedAlertKeys} from './seed-alert-keys.js';

export type ConfigFileName = 'optimization' | 'alerts' | 'nomenclature';

export type ConfigFileReport = {
	name: ConfigFileName;
	/** As shown to the user (relative to the working directory when inside it). */
	file: string;
	/** A missing file means the defaults. */
	exists: boolean;
	/** Why the file cannot be used (its message is file:line:col: problem), or null. */
	error: ConfigError | null;
};

export type LenientConfig = {
	/** Each valid file, and the defaults for a missing or invalid one. */
	config: AppConfig;
	reports: ConfigFileReport[];
	errors: ConfigError[];
};

function loadOne<T>(name: ConfigFileName, dir: string, load: (file: string) => {value: T; file: string; exists: boolean}, defaults: T): {value: T; report: ConfigFileReport} {
	const file = path.join(dir, `${name}.json`);
	try {
		const loaded = load(file);
		return {value: loaded.value, report: {name, file: loaded.file, exists: loaded.exists, error: null}};
	} catch (error) {
		if (!(error instanceof ConfigError)) throw error;
		return {value: defaults, report: {name, file: error.file, exists: true, error}};
	}
}

/** Loads config/*.json file by file: never throws a ConfigError, reports it. */
export function loadConfigLenient(dir: string): LenientConfig {
	const optimization = loadOne('optimization', dir, file => loadConfigFile(file, optimizationSchema, optimizationDefaults), optimizationDefaults);
	const alerts = loadOne('alerts', dir, file => loadConfigFile(file, alertsSchema, alertsDefaults), alertsDefaults);
	const nomenclature = loadOne('nomenclature', dir, file => loadConfigFile(file, nomenclatureSchema, nomenclatureDefaults), nomenclatureDefaults);
	const reports = [optimization.report, alerts.report, nomenclature.report];
	const seed = applySeedAlertKeys(optimization.value, alerts.value);
	return {
		config: {
			optimization: optimization.value,
			alerts: seed.alerts,
			seedAlertKeys: seed.mappings,
			nomenclature: nomenclature.value,
			files: reports.map(report => ({name: report.name, file: report.file, exists: report.exists})),
		},
		reports,
		errors: reports.flatMap(report => (report.error ? [report.error] : [])),
	};
}
