import {describe, expect, it} from 'vitest';
import {FrameioError, parseErrorBody} from '../../source/frameio/errors.js';
import {registerSecret} from '../../source/log/redact.js';

describe('FrameioError', () => {
	it('reads like "METHOD op status: title — detail"', () => {
		const error = new FrameioError({status: 404, code: 'http', op: 'folders.children', method: 'GET', path: '/v4/x', title: 'Not Found', detail: 'Folder not found'});
		expect(error.message).toBe('GET folders.children 404: Not Found — Folder not found');
		expect(error.errorKind).toBe('client');
		expect(error.isServiceFailure).toBe(false);
	});

	it('classifies kinds for metrics and the breaker', () => {
		const make = (status: number, code: FrameioError['code']) => new FrameioError({status, code, op: 'me', method: 'GET', path: '/v4/me'});
		expect(make(429, 'http').errorKind).toBe('rate_limit');
		expect(make(503, 'http').errorKind).toBe('server');
		expect(make(401, 'auth').errorKind).toBe('auth');
		expect(make(0, 'network').errorKind).toBe('network');
		expect(make(0, 'timeout').errorKind).toBe('timeout');
		expect(make(0, 'breaker_open').errorKind).toBe('breaker_open');
		expect(make(429, 'http').isServiceFailure).toBe(true);
		expect(make(500, 'http').isServiceFailure).toBe(true);
		expect(make(0, 'network').isServiceFailure).toBe(true);
		expect(make(422, 'http').isServiceFailure).toBe(false);
	});

	it('never carries a known secret in its message', () => {
		const secret = 'tok_abcdefghijklmnop_0123456789';
		registerSecret(secret);
		const error = new FrameioError({status: 400, code: 'http', op: 'me', method: 'GET', path: '/v4/me', detail: `bad token ${secret}`});
		expect(error.message).not.toContain(secret);
	});

	it('parses the v4 errors[] body, joining several details', () => {
		expect(parseErrorBody({errors: [{title: 'Invalid value', detail: 'Unexpected field: foo', source: {pointer: '/data/foo'}}]})).toEqual({
			title: 'Invalid value',
			detail: 'Unexpected field: foo',
			source: {pointer: '/data/foo'},
		});
		expect(parseErrorBody(JSON.stringify({errors: [{detail: 'a'}, {detail: 'b'}]}))?.detail).toBe('a; b');
		expect(parseErrorBody('<html>bad gateway</html>')).toBeUndefined();
		expect(parseErrorBody({errors: []})).toBeUndefined();
		expect(parseErrorBody('')).toBeUndefined();
	});
});
