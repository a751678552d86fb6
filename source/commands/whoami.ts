// `frameio-admin whoami`: who the API thinks we are (GET /v4/me), where the token comes from, and when it expires.
// Never prints the token.
import {openApp, type App} from '../app/open-app.js';
import {resolvePaths} from '../config/paths.js';
import {describeTokenSource} from '../frameio/auth/describe-token.js';
import type {TokenProvider} from '../frameio/auth/token-provider.js';
import {printable} from '../format/printable.js';
import {printFailure} from './kit/failure.js';
import {defineCommand, EXIT, UsageError} from './kit/command.js';

export default defineCommand({
	help: `frameio-admin whoami: the current Frame.io user, the token's source and its expiry

  Usage
    $ frameio-admin whoami [--json]

  The token comes from FRAMEIO_TOKEN, else from \`frameio-admin login\`; --sandbox uses the built-in sandbox.`,
	flags: {},
	async run(cli, io) {
		if (cli.input.length > 0) throw new UsageError(`unexpected argument "${cli.input[0]}"`);
		const flags = cli.flags;
		const paths = resolvePaths(flags);
		let app: App | undefined;
		try {
			app = await openApp({paths, sandbox: flags.sandbox, allowInsecureHttp: flags.allowInsecureHttp, cache: 'private', identity: 'skip'});
			const {client, api: target} = app;
			const me = await client.me();
			const token = describeToken(target.auth);
			if (flags.json) {
				io.stdout.write(
					`${JSON.stringify({id: me.id, name: me.name, email: me.email, api: {kind: target.kind, url: target.baseUrl}, token})}\n`,
				);
			} else {
				const expiry =
					token.expiresInMinutes === null ? 'unknown (the token does not say)' : `in ${token.expiresInMinutes} min (${token.expiresAt})`;
				io.stdout.write(
					[
						`${printable(me.name)} <${printable(me.email)}>`,
						`  user id:  ${printable(me.id)}`,
						`  api:      ${target.baseUrl} (${target.kind})`,
						`  token:    ${token.description}`,
						`  expires:  ${expiry}`,
					].join('\n') + '\n',
				);
			}
			return EXIT.ok;
		} catch (error) {
			return printFailure(io, error, app?.api.auth.source);
		} finally {
			await app?.close();
		}
	},
});

function describeToken(auth: TokenProvider): {source: string; kind: string | null; description: string; expiresAt: string | null; expiresInMinutes: number | null} {
	const expiresAtMs = auth.expiresAt();
	const expiresAt = expiresAtMs === null ? null : new Date(expiresAtMs).toISOString();
	const expiresInMinutes = expiresAtMs === null ? null : Math.max(0, Math.floor((expiresAtMs - Date.now()) / 60_000));
	const description = describeTokenSource(auth);
	return {source: auth.source, kind: auth.kind ?? null, description, expiresAt, expiresInMinutes};
}
