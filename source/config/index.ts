import path from 'node:path';
import {alertsDefaults, alertsSchema, type AlertsConfig} from './alerts-schema.js';
import {loadConfigFile} from './load-config-file.js';
import {nomenclatureDefaults, type NomenclatureConfig} from '../nomenclature/config-shape.js';
import {nomenclatureSchema} from '../nomenclature/schema.js';
import {optimizationDefaults, optimizationSchema, type OptimizationConfig} from './optimization-schema.js';
import {applySeedAlertKeys, type SeedAlertMapping} from './seed-alert-keys.js';

export {ConfigError} from './load-config-file.js';
export type {AlertsConfig, NomenclatureConfig, OptimizationConfig, SeedAlertMapping};

export type AppConfig = {
	optimization: OptimizationConfig;
	alerts: AlertsConfig;
	nomenclature: NomenclatureConfig;
	/** Each file as shown to the user, and whether it exists (a missing file means defaults). */
	files: Array<{name: string; file: string; exists: boolean}>;
	/** The seed's alert keys of optimization.json, already applied to `alerts` (see seed-alert-keys.ts). */
	seedAlertKeys: SeedAlertMapping[];
};

/** Loads config/optimization.json, alerts.json and nomenclature.json from `dir`. Throws ConfigError. */
export function loadConfig(dir: string): AppConfig {
	const optimization = loadConfigFile(path.join(dir, 'optimization.json'), optimizationSchema, optimizationDefaults);
	const alerts = loadConfigFile(path.join(dir, 'alerts.json'), alertsSchema, alertsDefaults);
	const nomenclature = loadConfigFile(path.join(dir, 'nomenclature.json'), nomenclatureSchema, nomenclatureDefaults);
	const seed = applySeedAlertKeys(optimization.value, alerts.value);
	return {
		optimization: optimization.value,
		alerts: seed.alerts,
		seedAlertKeys: seed.mappings,
		nomenclature: nomenclature.value,
		files: [
			{name: 'optimization', file: optimization.file, exists: optimization.exists},
			{name: 'alerts', file: alerts.file, exists: alerts.exists},
			{name: 'nomenclature', file: nomenclature.file, exists: nomenclature.exists},
		],
	};
}

export function defaultConfig(): AppConfig {
	return {
		optimization: optimizationDefaults,
		alerts: alertsDefaults,
		nomenclature: nomenclatureDefaults,
		files: [],
		seedAlertKeys: [],
	};
}
