// What cli.ts prints for an error a command throws (UsageError → its exit code, ConfigError → 2, else 1).
import {UsageError} from '../../source/commands/kit/command.js';
import {ConfigError} from '../../source/config/index.js';
import {redactText} from '../../source/log/redact.js';

export function reportErrorText(error: unknown): {text: string; code: number} {
	if (error instanceof UsageError) return {text: `frameio-admin: ${redactText(error.message)}\n`, code: error.exitCode};
	if (error instanceof ConfigError) return {text: `frameio-admin: ${error.message}\n`, code: 2};
	return {text: `frameio-admin: ${redactText(error instanceof Error ? error.message : String(error))}\n`, code: 1};
}
