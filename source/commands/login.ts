// `frameio-admin login`: obtain Adobe IMS credentials and store them (mode 0600) for every other command.
// User login is the authorization code flow with PKCE: print the authorize URL, read back the URL the browser was
// sent to (or the bare code). No local web server, so it works over SSH. With a client secret it is
// server-to-server (client credentials) instead.
import {createInterface} from 'node:readline';
import {CredentialsStore, describeFsError, type StoredCredentials} from '../config/credentials.js';
import {openApp, type App} from '../app/open-app.js';
import {resolvePaths} from '../config/paths.js';
import {ImsClient, S2S_SCOPES, USER_SCOPES} from '../frameio/auth/ims-client.js';
import {DEFAULT_REDIRECT_URI, finishUserLogin, followSandboxAuthorize, loginServerToServer, parseScopes, startUserLogin} from '../frameio/auth/login-flow.js';
import {clearPendingLogin, loadPendingLogin, PENDING_LOGIN_TTL_MS, savePendingLogin} from '../frameio/auth/pending-login.js';
import {EnvTokenProvider} from '../frameio/auth/static-token.js';
import {StoredTokenProvider} from '../frameio/auth/stored-token.js';
import {describeFailure} from '../frameio/describe-failure.js';
import {registerSecret} from '../log/redact.js';
import {defineCommand, EXIT, UsageError, type Io} from './kit/command.js';

const SANDBOX_CLIENT_ID = 'sandbox-client';

export default defineCommand({
	help: `frameio-admin login: sign in with Adobe IMS and store the credentials

  Usage
    $ frameio-admin login --client-id ID                      user login (authorization code + PKCE)
    $ frameio-admin login --client-id ID --client-secret S    server-to-server (client credentials)

  User login prints an authorize URL. Open it in any browser (on any machine), sign in, and paste back the URL
  the browser was sent to (or just its code). No local web server is needed, so this works over SSH.
  In two steps (scripts, or a reconnect): --print-url, then --redirect-url URL or --code CODE within 10 minutes.

  Options
    --client-id ID        Client ID of the Adobe Developer Console credential (or FRAMEIO_CLIENT_ID)
    --client-secret S     Client secret (or FRAMEIO_CLIENT_SECRET): server-to-server login, unless --user
    --user                User login even with a client secret (OAuth Web App credentials)
    --redirect-uri URI    Redirect URI registered on the credential (default ${DEFAULT_REDIRECT_URI})
    --scopes LIST         Comma-separated scopes (user default: ${USER_SCOPES.join(',')};
                          server-to-server default: ${S2S_SCOPES.join(',')})
    --print-url           Print the authorize URL and exit; finish with --redirect-url or --code
    --redirect-url URL    Finish a login: the URL the browser was sent to
    --code CODE           Finish a login: the bare authorization code

  The credentials go to <state-dir>/credentials.json (mode 0600). FRAMEIO_IMS_URL selects another IMS host.
  With --sandbox the whole flow runs against the built-in sandbox's IMS, unattended, and nothing is stored.

  Examples
    $ frameio-admin login --client-id 3f1c…
    $ frameio-admin login --client-id 3f1c… --client-secret "$SECRET" --json
    $ frameio-admin login --sandbox`,
	flags: {
		clientId: {type: 'string'},
		clientSecret: {type: 'string'},
		user: {type: 'boolean', default: false},
		redirectUri: {type: 'string'},
		scopes: {type: 'string'},
		printUrl: {type: 'boolean', default: false},
		redirectUrl: {type: 'string'},
		code: {type: 'string'},
	},
	async run(cli, io) {
		const flags = cli.flags;
		const env = process.env;
		if (cli.input.length > 0) throw new UsageError(`unexpected argument "${cli.input[0]}"`);
		if (flags.redirectUrl !== undefined && flags.code !== undefined) throw new UsageError('give --redirect-url or --code, not both');
		const finishing = flags.redirectUrl !== undefined || flags.code !== undefined;
		if (flags.printUrl && finishing) throw new UsageError('--print-url starts a login; --redirect-url/--code finish one: use them in two runs');

		const clientSecret = flags.clientSecret ?? env.FRAMEIO_CLIENT_SECRET ?? undefined;
		registerSecret(clientSecret);
		const serverToServer = Boolean(clientSecret) && !flags.user && !finishing && !flags.printUrl;

		const paths = resolvePaths(flags);
		let app: App | undefined;
		try {
			// No credentials yet is the point of logging in; the app gives the API and IMS hosts (and with --sandbox, a sandbox).
			app = await openApp({paths, sandbox: flags.sandbox, allowInsecureHttp: flags.allowInsecureHttp, credentials: 'optional', cache: 'private', identity: 'skip'});
			const config = app.config.optimization;
			const log = app.logging.get('frameio.app');
			const apiUrl = app.api.baseUrl;
			const imsUrl = app.api.imsUrl;
			const pendingForFinish = finishing ? loadPendingLogin(paths.stateDir) : null;
			if (finishing && !pendingForFinish) {
				throw new UsageError(
					`no login in progress (or it is older than ${PENDING_LOGIN_TTL_MS / 60_000} minutes): run \`frameio-admin login --print-url\` first, then finish with --redirect-url or --code`,
				);
			}
			const clientId = flags.clientId ?? env.FRAMEIO_CLIENT_ID ?? pendingForFinish?.clientId ?? (flags.sandbox ? SANDBOX_CLIENT_ID : undefined);
			if (!clientId) {
				throw new UsageError('--client-id (or FRAMEIO_CLIENT_ID) is required: the Client ID of your Frame.io API credential in the Adobe Developer Console');
			}
			const ims = new ImsClient({imsUrl: pendingForFinish?.imsUrl ?? imsUrl, timeoutMs: config.error_handling.request_timeout_seconds * 1000});

			let credentials: StoredCredentials;
			if (serverToServer) {
				credentials = await loginServerToServer({ims, clientId, clientSecret: clientSecret as string, scopes: parseScopes(flags.scopes, S2S_SCOPES)});
			} else if (pendingForFinish) {
				if (pendingForFinish.clientId !== clientId) throw new UsageError('--client-id differs from the login in progress: start again with --print-url');
				credentials = await finishUserLogin({ims, pending: pendingForFinish, input: flags.redirectUrl ?? flags.code ?? '', clientSecret: flags.user ? clientSecret : undefined});
			} else {
				const {pending, authorizeUrl} = startUserLogin({ims, clientId, redirectUri: flags.redirectUri, scopes: parseScopes(flags.scopes, USER_SCOPES)});
				if (flags.printUrl) {
					await savePendingLogin(paths.stateDir, pending);
					printAuthorizeUrl(io, authorizeUrl, pending.redirectUri, flags.json);
					return EXIT.ok;
				}
				let input: string;
				if (flags.sandbox) {
					io.stderr.write(`Authorize URL (the sandbox IMS approves it without a login page):\n\n  ${authorizeUrl}\n\n`);
					input = await followSandboxAuthorize(authorizeUrl);
				} else {
					await savePendingLogin(paths.stateDir, pending);
					io.stderr.write(
						`Open this URL in a browser and sign in with your Adobe ID:\n\n  ${authorizeUrl}\n\n` +
							`The browser is then sent to ${pending.redirectUri}?code=…&state=… (that page may fail to load: that is fine).\n` +
							'Paste that whole URL here (or just the code) and press Enter:\n',
					);
					input = await readLine(io);
				}
				credentials = await finishUserLogin({ims, pending, input, clientSecret: flags.user ? clientSecret : undefined});
			}

			// The sandbox dies with this command: storing its tokens would only replace real credentials with dead ones.
			const store = new CredentialsStore(paths.stateDir);
			let storedIn = store.path;
			if (!flags.sandbox) {
				// Throws CredentialsSaveError when nowhere can take them (exit 1, the message says where it tried).
				const saved = store.write(credentials);
				storedIn = saved.file;
				if (saved.primaryError) {
					io.stderr.write(
						`frameio-admin: warning: cannot write ${store.path} (${describeFsError(saved.primaryError)}): the credentials are in ${saved.file} until it can be written; the next command moves them back\n`,
					);
				}
				try {
					clearPendingLogin(paths.stateDir);
				} catch {
					// a read-only state dir keeps a pending login that has been used: it expires on its own
				}
			}
			log.info({kind: credentials.kind, api: apiUrl, ims: ims.imsUrl, refreshToken: Boolean(credentials.refreshToken)}, 'Logged in');

			const auth = flags.sandbox ? new EnvTokenProvider(credentials.accessToken) : new StoredTokenProvider({store, logger: log});
			const client = app.clientFor(auth);
			try {
				const me = await client.me();
				printLoggedIn(io, {
					json: flags.json,
					name: me.name,
					email: me.email,
					id: me.id,
					credentials,
					file: flags.sandbox ? null : storedIn,
					api: apiUrl,
				});
				return EXIT.ok;
			} catch (error) {
				const failure = describeFailure(error, {tokenSource: 'stored'});
				if (!failure) throw error;
				io.stderr.write(
					`frameio-admin: signed in with Adobe IMS${flags.sandbox ? '' : ` and stored the credentials in ${store.path}`}, but the check with Frame.io failed: ${failure.message}\n`,
				);
				return EXIT.failed;
			}
		} catch (error) {
			const failure = describeFailure(error);
			if (!failure) throw error;
			io.stderr.write(`frameio-admin: ${failure.message}\n`);
			return failure.exitCode;
		} finally {
			await app?.close();
		}
	},
});

function printAuthorizeUrl(io: Io, authorizeUrl: string, redirectUri: string, json: boolean): void {
	if (json) {
		io.stdout.write(`${JSON.stringify({authorizeUrl, redirectUri, expiresInMinutes: PENDING_LOGIN_TTL_MS / 60_000})}\n`);
		return;
	}
	io.stdout.write(`${authorizeUrl}\n`);
	io.stderr.write(
		`Open the URL above, sign in, then within ${PENDING_LOGIN_TTL_MS / 60_000} minutes run:\n` +
			`  frameio-admin login --redirect-url '${redirectUri}?code=…&state=…'   (the URL the browser was sent to)\n`,
	);
}

function printLoggedIn(
	io: Io,
	info: {json: boolean; name: string; email: string; id: string; credentials: StoredCredentials; file: string | null; api: string},
): void {
	const {credentials} = info;
	const minutes = Math.max(0, Math.round((credentials.expiresAt - Date.now()) / 60_000));
	const kind = credentials.kind === 's2s' ? 'server-to-server' : 'user';
	if (info.json) {
		io.stdout.write(
			`${JSON.stringify({
				loggedIn: true,
				kind: credentials.kind,
				id: info.id,
				name: info.name,
				email: info.email,
				api: info.api,
				expiresAt: new Date(credentials.expiresAt).toISOString(),
				expiresInMinutes: minutes,
				refreshToken: Boolean(credentials.refreshToken),
				credentialsFile: info.file,
			})}\n`,
		);
		return;
	}
	const lines = [
		`Logged in as ${info.name} <${info.email}> (${kind} login)`,
		`  api:       ${info.api}`,
		`  expires:   in ${minutes} min (${new Date(credentials.expiresAt).toISOString()})`,
		credentials.kind === 'user'
			? `  refresh:   ${credentials.refreshToken ? 'yes (renewed automatically)' : 'no refresh token: add the offline_access scope, or log in again when it expires'}`
			: '  refresh:   a new client-credentials token is requested automatically',
		info.file ? `  stored in: ${info.file} (mode 0600)` : '  stored:    no (sandbox login)',
	];
	io.stdout.write(`${lines.join('\n')}\n`);
}

/** The first non-empty line of stdin. */
async function readLine(io: Io): Promise<string> {
	const reader = createInterface({input: io.stdin, terminal: false});
	try {
		for await (const line of reader) {
			if (line.trim()) return line.trim();
		}
	} finally {
		reader.close();
	}
	throw new UsageError('no redirect URL or code was given (stdin closed): paste it, or use --print-url then --redirect-url');
}
