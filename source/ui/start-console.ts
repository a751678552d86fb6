// STUB: replaced by the console work.
import type {Io} from '../commands/command.js';

export async function startConsole(_argv: string[], io: Io): Promise<number> {
	io.stderr.write('frameio-admin: the console is not built yet; run `frameio-admin --help` for the subcommands.\n');
	return 2;
}
