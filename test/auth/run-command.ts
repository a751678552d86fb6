// Runs a subcommand in this process (its module's run(), with the args parsed as cli.ts does), for the
// many small command tests where spawning a Node process per case would cost seconds. Environment variables are
// set for the call and restored after: callers must not run these concurrently.
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {PassThrough, Readable} from 'node:stream';
import {globalFlags, type Io} from '../../source/commands/kit/command.js';
import {parseCommandLine} from '../../source/commands/kit/command-line.js';
import {commands} from '../../source/commands/registry.js';
import {reportErrorText} from './report-error.js';
import {testDir} from '../helpers/secret-scan.js';
import type {CliResult} from '../helpers/run-cli.js';

export async function runCommand(args: string[], options: {env?: Record<string, string | undefined>; input?: string} = {}): Promise<CliResult> {
	const [name, ...rest] = args;
	const entry = commands[name];
	if (!entry) throw new Error(`no command ${name}`);
	const module = (await entry.load()).default;
	const saved: Record<string, string | undefined> = {};
	const env = {FRAMEIO_TOKEN: undefined, FRAMEIO_API_URL: undefined, FRAMEIO_IMS_URL: undefined, FRAMEIO_CLIENT_ID: undefined, FRAMEIO_CLIENT_SECRET: undefined, ...options.env};
	for (const [key, value] of Object.entries(env)) {
		saved[key] = process.env[key];
		if (value === undefined) delete process.env[key];
		else process.env[key] = value;
	}
	let stdout = '';
	let stderr = '';
	const out = new PassThrough();
	const err = new PassThrough();
	out.on('data', chunk => (stdout += chunk));
	err.on('data', chunk => (stderr += chunk));
	const io: Io = {stdout: out, stderr: err, stdin: Readable.from([options.input ?? ''])};
	let code: number;
	try {
		const cli = parseCommandLine(rest, {...globalFlags, ...module.flags});
		code = await module.run(cli as never, io);
	} catch (error) {
		const reported = reportErrorText(error);
		stderr += reported.text;
		code = reported.code;
	} finally {
		for (const [key, value] of Object.entries(saved)) {
			if (value === undefined) delete process.env[key];
			else process.env[key] = value;
		}
	}
	writeFileSync(path.join(testDir('cli-output'), 'command.txt'), `${args.join(' ')} (in process)\n--- stdout\n${stdout}\n--- stderr\n${stderr}\n`);
	return {code, stdout, stderr};
}
