// STUB helper for commands still being built; each stub file is replaced by its real command.
import {defineCommand, EXIT} from './command.js';

export function notYet(name: string) {
	return defineCommand({
		help: `frameio-admin ${name} (not built yet)`,
		flags: {},
		async run(_cli, io) {
			io.stderr.write(`frameio-admin: "${name}" is not built yet\n`);
			return EXIT.failed;
		},
	});
}
