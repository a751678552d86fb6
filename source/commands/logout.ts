// `frameio-admin logout`: forget the stored credentials (and a half-finished login). Succeeds when there are none.
import {CredentialsStore} from '../config/credentials.js';
import {resolvePaths} from '../config/paths.js';
import {clearPendingLogin} from '../frameio/auth/pending-login.js';
import {defineCommand, EXIT, UsageError} from './kit/command.js';

export default defineCommand({
	help: `frameio-admin logout: delete the credentials stored by \`frameio-admin login\`

  Usage
    $ frameio-admin logout

  FRAMEIO_TOKEN, when set, is not affected: unset it yourself.
  The tokens are not revoked at Adobe IMS; they stop being usable here, and expire on their own.`,
	flags: {},
	async run(cli, io) {
		if (cli.input.length > 0) throw new UsageError(`unexpected argument "${cli.input[0]}"`);
		const paths = resolvePaths(cli.flags);
		const store = new CredentialsStore(paths.stateDir);
		const removed = store.clear();
		clearPendingLogin(paths.stateDir);
		const envToken = Boolean(process.env.FRAMEIO_TOKEN?.trim());
		if (cli.flags.json) {
			io.stdout.write(`${JSON.stringify({removed, file: store.path, frameioTokenStillSet: envToken})}\n`);
			return EXIT.ok;
		}
		io.stdout.write(removed ? `Logged out: removed ${store.path}\n` : `No stored credentials (${store.path}): nothing to do\n`);
		if (envToken) io.stdout.write('Note: FRAMEIO_TOKEN is set in this environment and will still be used; unset it to log out completely.\n');
		return EXIT.ok;
	},
});
