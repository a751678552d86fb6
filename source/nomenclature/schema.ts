// The schema config/nomenclature.json is loaded with: its shape, and every template, regex and folder format
// compiled, so that a mistake is a ConfigError at file:line:col rather than a failure at the first file name.
import {compileConfig} from './compile-config.js';
import {nomenclatureShape} from './config-shape.js';

export const nomenclatureSchema = nomenclatureShape.superRefine((config, context) => {
	for (const problem of compileConfig(config).problems) {
		context.addIssue({code: 'custom', message: problem.message, path: problem.path});
	}
});
