import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {formatHumanLine} from '../../source/log/human-format.js';
import {ADMIN_LOG, createLogging, ERRORS_LOG} from '../../source/log/logger.js';
import {redactText, redactValue, registerSecret} from '../../source/log/redact.js';
import {rememberSecret, testDir} from '../helpers/secret-scan.js';

const lines = (file: string) =>
	readFileSync(file, 'utf8')
		.split('\n')
		.filter(Boolean)
		.map(line => JSON.parse(line) as Record<string, unknown>);

describe('logging', () => {
	it('writes info+ to the admin log and warn+ to the errors log, with the logger name', () => {
		const dir = testDir('logs');
		const logging = createLogging({logsDir: dir, debug: false});
		logging.get('frameio.structure').debug('hidden');
		logging.get('frameio.structure').info('Cache hit: projects_123456');
		logging.get('frameio.api').warn({status: 503}, 'retrying');
		logging.close();
		const admin = lines(path.join(dir, ADMIN_LOG));
		expect(admin.map(line => line.msg)).toEqual(['Cache hit: projects_123456', 'retrying']);
		expect(admin[0]).toMatchObject({level: 'info', logger: 'frameio.structure'});
		expect(lines(path.join(dir, ERRORS_LOG)).map(line => line.msg)).toEqual(['retrying']);
	});

	it('writes debug lines when asked (FRAMEIO_DEBUG=1)', () => {
		const dir = testDir('logs');
		const logging = createLogging({logsDir: dir, debug: true});
		logging.get('frameio.cache').debug('Cache miss: folders_1');
		logging.close();
		expect(lines(path.join(dir, ADMIN_LOG))[0]).toMatchObject({level: 'debug', msg: 'Cache miss: folders_1'});
	});

	it('rotates by size and keeps the seed file name for the current file', () => {
		const dir = testDir('logs');
		const logging = createLogging({logsDir: dir, maxBytes: 2000, keep: 2});
		for (let i = 0; i < 100; i++) logging.get('frameio.upload').info(`line ${i} ${'x'.repeat(50)}`);
		logging.close();
		const current = path.join(dir, ADMIN_LOG);
		expect(readFileSync(current, 'utf8').length).toBeLessThanOrEqual(2000);
		expect(existsSync(`${current}.1`)).toBe(true);
		expect(existsSync(`${current}.2`)).toBe(true);
		expect(existsSync(`${current}.3`)).toBe(false);
		expect(readFileSync(current, 'utf8')).toContain('line 99');
	});

	it('never writes a secret: registered values, bearer headers, token fields and presigned signatures', () => {
		const dir = testDir('logs');
		const token = rememberSecret('eyJ-test-access-token-0123456789abcdef');
		const refresh = rememberSecret('test-refresh-token-zyxwvu98765');
		const signature = rememberSecret('a1b2c3d4e5f60718293a4b5c6d7e8f90');
		const unregistered = rememberSecret('never-registered-bearer-value-42');
		registerSecret(token);
		const logging = createLogging({logsDir: dir});
		const api = logging.get('frameio.api');
		api.info({headers: {authorization: `Bearer ${unregistered}`}}, 'request');
		api.info({refresh_token: refresh}, 'refreshed');
		api.info(`PUT https://s3.example/parts/1?X-Amz-Expires=86400&X-Amz-Signature=${signature}`);
		api.error(new Error(`IMS said no to ${token}`), 'failed');
		api.warn(`form body grant_type=refresh_token&refresh_token=${refresh}&client_id=x`);
		logging.close();
		const text = readFileSync(path.join(dir, ADMIN_LOG), 'utf8') + readFileSync(path.join(dir, ERRORS_LOG), 'utf8');
		for (const secret of [token, refresh, signature, unregistered]) expect(text).not.toContain(secret);
		expect(text).toContain('[REDACTED]');
		expect(text).toContain('X-Amz-Expires=86400');
		expect(text).toContain('IMS said no to [REDACTED]');
	});
});

describe('redaction helpers', () => {
	it('blanks secret-named keys at any depth and keeps the rest', () => {
		const value = redactValue({a: 1, nested: {client_secret: 'shh-very-secret', name: 'ok'}, list: [{token: 'abcdefghijk'}]});
		expect(value).toEqual({a: 1, nested: {client_secret: '[REDACTED]', name: 'ok'}, list: [{token: '[REDACTED]'}]});
	});

	it('scrubs discord webhook URLs', () => {
		expect(redactText('posting to https://discord.com/api/webhooks/123/abcDEF-secret')).toBe('posting to https://discord.com/api/webhooks/[REDACTED]');
	});
});

describe('human format', () => {
	it('matches the seed line', () => {
		const time = new Date(2025, 0, 7, 14, 30, 15).toISOString();
		expect(formatHumanLine({time, level: 'info', logger: 'frameio.structure', msg: 'Cache hit: projects_123456'})).toBe(
			'2025-01-07 14:30:15 - frameio.structure - INFO - Cache hit: projects_123456',
		);
		expect(formatHumanLine({time, level: 'warn', logger: 'frameio.api', msg: 'x'})).toContain(' - WARNING - ');
	});
});
