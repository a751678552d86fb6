// What cli.ts prints for an error a command throws (UsageError → its exit code, ConfigError or an insecure API URL
// → 2, else 1), made printable as cli.ts does.
import {UsageError} from '../../source/commands/kit/command.js';
import {ConfigError} from '../../source/config/index.js';
import {InsecureTransportError} from '../../source/frameio/api-url.js';
import {printable, printableLines} from '../../source/format/printable.js';
import {redactText} from '../../source/log/redact.js';

export function reportErrorText(error: unknown): {text: string; code: number} {
	if (error instanceof UsageError) return {text: `frameio-admin: ${printableLines(redactText(error.message))}\n`, code: error.exitCode};
	if (error instanceof ConfigError || error instanceof InsecureTransportError) return {text: `frameio-admin: ${printableLines(error.message)}\n`, code: 2};
	return {text: `frameio-admin: ${printable(redactText(error instanceof Error ? error.message : String(error)))}\n`, code: 1};
}
