// Alerts wherever the work runs: `watch` and `upload`, as real processes against a sandbox, evaluate the alert rules
// like the console, write them to logs/alerts.log naming the host and the recommended action, and post them to the
// sandbox's Discord sink before they exit. test-upload does not monitor (a one-file check someone is watching).
import {existsSync, readFileSync, utimesSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {ruleDefinitions} from '../../source/metrics/alert-rules.js';
import type {Sandbox} from '../../source/sandbox/index.js';
import {rememberSecret} from '../helpers/secret-scan.js';
import {cli, freshDirs, KiB, makeFile, sandboxEnv, spawnCli, startTestSandbox, testDir} from './helpers.js';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startTestSandbox();
	rememberSecret(sandbox.discordWebhookUrl);
	rememberSecret(sandbox.discordWebhookUrl.split('/').at(-1)!);
});
afterAll(() => sandbox.close());
beforeEach(() => {
	sandbox.discord.messages.length = 0;
});

type Embed = {title: string; description: string; fields: Array<{name: string; value: string; inline: boolean}>};
const embeds = (): Embed[] => sandbox.discord.messages.map(message => (message.body as {embeds: Embed[]}).embeds[0]);
const alertsLog = (logsDir: string) => {
	const file = path.join(logsDir, 'alerts.log');
	return existsSync(file) ? readFileSync(file, 'utf8') : '';
};

/** A config dir with quick retries, and the test's own alert settings. */
function configDir(optimization: object, alerts?: string): string {
	const dir = testDir('alerts-config');
	writeFileSync(path.join(dir, 'optimization.json'), JSON.stringify({error_handling: {max_retries: 2, retry_delay_base: 0.01, retry_delay_max: 0.05}, ...optimization}));
	if (alerts) writeFileSync(path.join(dir, 'alerts.json'), alerts);
	return dir;
}

const memoryAction = ruleDefinitions.memory.action;

describe('watch raises alerts while it runs', () => {
	it("fires the memory rule (the seed's alerts.memory_threshold, window = sampling interval) to alerts.log and Discord, naming FRAMEIO_NODE_NAME and the action", async () => {
		// 1 MB from the seed key, over a window as long as the 1 s sampling interval: it fires at the first evaluation.
		const config = configDir({monitoring: {system_metrics_interval: 1}, alerts: {memory_threshold: 1}}, '{"rules": {"memory": {"window_seconds": 1}}}');
		const dirs = freshDirs(config);
		const dir = testDir('watch-alerts');
		const env = sandboxEnv(sandbox, {FRAMEIO_DISCORD_WEBHOOK: sandbox.discordWebhookUrl, FRAMEIO_NODE_NAME: 'render-node-07'});
		const run = spawnCli(['watch', dir, '--interval', '0.2s'], dirs, env);
		try {
			// While it runs: the evaluation on the sampling clock, not the last one at exit.
			const until = Date.now() + 20_000;
			while (!alertsLog(dirs.logs).includes('FIRING memory') || sandbox.discord.messages.length === 0) {
				if (Date.now() > until || run.child.exitCode !== null) throw new Error(`no alert from watch: ${run.output()}\n${alertsLog(dirs.logs)}`);
				await new Promise(resolve => setTimeout(resolve, 50));
			}
			expect(run.child.exitCode).toBeNull();
		} finally {
			run.child.kill('SIGINT');
		}
		expect(await run.exited).toBe(0);

		const lines = alertsLog(dirs.logs).trimEnd().split('\n');
		expect(lines).toHaveLength(1);
		expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d - frameio\.alerts - WARNING - FIRING memory on render-node-07: Process memory [\d.]+ MB > 1 MB \(window 1 s\) - action: (.+)$/);
		expect(lines[0].endsWith(` - action: ${memoryAction}`)).toBe(true);
		const [embed] = embeds();
		expect(embed.title).toBe('🟡 FIRING: Process memory');
		expect(embed.fields).toContainEqual({name: 'Host', value: 'render-node-07', inline: true});
		expect(embed.fields).toContainEqual({name: 'Recommended action', value: memoryAction, inline: false});
		expect(run.output()).not.toContain(sandbox.discordWebhookUrl.split('/').at(-1)!);
	});
});

describe('upload raises alerts, and delivers them before it exits', () => {
	it('a run shorter than one sampling interval is judged at its end: alerts.log names the host, Discord has the alert when the process is gone', async () => {
		// alerts.json's own rule this time, and the default 5 s sampling interval: the upload is done well before.
		const dirs = freshDirs(configDir({}, '{"rules": {"memory": {"threshold": 1}}}'));
		const file = makeFile(testDir('upload-alerts'), 'UNDLM_SEQ04_00040_v001.mp4', 100 * KiB);
		const env = sandboxEnv(sandbox, {FRAMEIO_DISCORD_WEBHOOK: sandbox.discordWebhookUrl, FRAMEIO_NODE_NAME: undefined});
		const result = await cli(['upload', file], dirs, env);
		expect(result.code).toBe(0);
		// Checked as soon as the process is gone: nothing of it is left to deliver anything later.
		expect(embeds().map(embed => embed.title)).toEqual(['🟡 FIRING: Process memory']);
		expect(embeds()[0].fields).toContainEqual({name: 'Host', value: os.hostname(), inline: true});
		const log = alertsLog(dirs.logs);
		expect(log).toContain(`- WARNING - FIRING memory on ${os.hostname()}: Process memory `);
		expect(log).toContain(` (window 1 min) - action: ${memoryAction}\n`);
	});

	it('a Discord that keeps answering 429 delays the exit by a bounded time, and the alert is still in alerts.log', async () => {
		const dirs = freshDirs(configDir({}, '{"rules": {"memory": {"threshold": 1}}}'));
		const file = makeFile(testDir('upload-alerts-429'), 'UNDLM_SEQ04_00041_v001.mp4', 10 * KiB);
		sandbox.discord.failNext(1000, 60);
		try {
			const started = Date.now();
			const result = await cli(['upload', file], dirs, sandboxEnv(sandbox, {FRAMEIO_DISCORD_WEBHOOK: sandbox.discordWebhookUrl}));
			expect(result.code).toBe(0);
			// ALERT_FLUSH_MS (5 s) plus the upload itself, not Discord's 60 s.
			expect(Date.now() - started).toBeLessThan(15_000);
		} finally {
			sandbox.discord.failNext(0, 0);
		}
		expect(sandbox.discord.messages).toHaveLength(0);
		expect(alertsLog(dirs.logs)).toContain('FIRING memory on ');
		expect(readFileSync(path.join(dirs.logs, 'frameio_errors.log'), 'utf8')).toContain('alert(s) not delivered before exit');
	});
});

describe('test-upload', () => {
	it('does not monitor: a one-file check raises no alert', async () => {
		const dirs = freshDirs(configDir({}, '{"rules": {"memory": {"threshold": 1}}}'));
		const file = makeFile(testDir('test-upload-alerts'), 'take.mov', 10 * KiB);
		const at = new Date(Date.now() - 60_000);
		utimesSync(file, at, at);
		const result = await cli(['test-upload', file, 'SC01_SEQ01', 'UNDLM_00001'], dirs, sandboxEnv(sandbox, {FRAMEIO_DISCORD_WEBHOOK: sandbox.discordWebhookUrl}));
		expect(result.code).toBe(0);
		expect(alertsLog(dirs.logs)).toBe('');
		expect(sandbox.discord.messages).toHaveLength(0);
	});
});
