import type {NomenclatureConfig} from './config-shape.js';
import {compilePattern, type CompiledPattern} from './compile-pattern.js';
import {compileFolders, type CompiledFolders} from './folder-mapping.js';
import type {ConfigProblem} from './types.js';

export type CompiledConfig = {
	config: NomenclatureConfig;
	/** Every pattern that compiled, enabled or not, in config order. */
	patterns: Map<string, CompiledPattern>;
	folders?: CompiledFolders;
	problems: ConfigProblem[];
};

/** Compiles a whole nomenclature config once. Never throws; broken patterns are left out and reported. */
export function compileConfig(config: NomenclatureConfig): CompiledConfig {
	const problems: ConfigProblem[] = [];
	const patterns = new Map<string, CompiledPattern>();
	const fieldNames = new Set<string>();
	for (const [key, pattern] of Object.entries(config.patterns)) {
		for (const name of Object.keys(pattern.fields)) fieldNames.add(name);
		const compiled = compilePattern(key, pattern, config.case);
		problems.push(...compiled.problems);
		if (compiled.pattern) patterns.set(key, compiled.pattern);
	}
	const active = config.patterns[config.active];
	if (!Object.hasOwn(config.patterns, config.active) || !active) {
		problems.push({path: ['active'], message: `active pattern "${config.active}" is not defined (patterns: ${Object.keys(config.patterns).join(', ') || 'none'})`});
	} else if (!active.enabled) {
		problems.push({path: ['active'], message: `active pattern "${config.active}" is disabled`});
	}
	const folders = compileFolders(config.folders, fieldNames);
	problems.push(...folders.problems);
	return {config, patterns, folders: folders.folders, problems};
}
