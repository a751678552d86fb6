import {describe, expect, it} from 'vitest';
import type {AlertLevel} from '../../source/config/alerts-schema.js';
import {AlertEngine} from '../../source/metrics/alert-engine.js';
import {ruleDefinitions} from '../../source/metrics/alert-rules.js';
import {MetricsStore} from '../../source/metrics/metrics-store.js';
import {retryAfterMs} from '../../source/notify/discord.js';
import {discordPayload} from '../../source/notify/discord-payload.js';
import {distinctAlertsConfig} from '../metrics/alert-config.js';
import {api, MiB, system} from '../metrics/events.js';

const T = Date.UTC(2025, 0, 7, 14, 30, 15);

function memoryAlerts(level: AlertLevel) {
	const engine = new AlertEngine(distinctAlertsConfig({memory: {enabled: true, threshold: 300, level, window_seconds: 60, cooldown_seconds: 60}}));
	const store = new MetricsStore();
	store.record(system(T, 612 * MiB));
	const [firing] = engine.evaluate(store, T);
	store.record(system(T + 5000, 100 * MiB));
	const [resolved] = engine.evaluate(store, T + 5000);
	return {firing, resolved};
}

describe('discord payload', () => {
	it('is one embed with title, description, fields (the host, the recommended action) and a UTC timestamp', () => {
		const engine = new AlertEngine(distinctAlertsConfig(), {host: 'render-07'});
		const store = new MetricsStore();
		for (let i = 0; i < 40; i++) store.record(api(T, 10, i < 3 ? 503 : 200));
		const [alert] = engine.evaluate(store, T);
		expect(discordPayload(alert, 'render-box-7')).toEqual({
			username: 'render-box-7',
			embeds: [
				{
					title: '🔴 FIRING: API error rate',
					description: 'API error rate 7.5 % > 7 % over 5 min',
					color: 0xe74c3c,
					fields: [
						{name: 'Value', value: '7.5 %', inline: true},
						{name: 'Threshold', value: '7 %', inline: true},
						{name: 'Window', value: '5 min', inline: true},
						{name: 'Host', value: 'render-07', inline: true},
						{name: 'Recommended action', value: ruleDefinitions.error_rate.action, inline: false},
					],
					timestamp: '2025-01-07T14:30:15.000Z',
				},
			],
		});
	});

	it('colours by level, green when resolved', () => {
		const colors = {info: 0x3498db, warning: 0xf1c40f, error: 0xe74c3c, critical: 0x8b0000} as const;
		for (const [level, color] of Object.entries(colors) as Array<[AlertLevel, number]>) {
			const {firing, resolved} = memoryAlerts(level);
			expect(discordPayload(firing, 'x').embeds[0].color).toBe(color);
			const embed = discordPayload(resolved, 'x').embeds[0];
			expect(embed.color).toBe(0x2ecc71);
			expect(embed.title).toBe('✅ RESOLVED: Process memory');
			expect(embed.fields[0]).toEqual({name: 'Value', value: '100 MB', inline: true});
			// A resolved notice says where, and asks nothing more.
			expect(embed.fields.map(field => field.name)).toEqual(['Value', 'Threshold', 'Window', 'Host']);
		}
	});

	it('state rules show "current state" as their window', () => {
		const engine = new AlertEngine(distinctAlertsConfig(), {host: 'ingest-02'});
		const store = new MetricsStore();
		store.record({type: 'breaker', at: T, state: 'open'});
		const [alert] = engine.evaluate(store, T);
		expect(discordPayload(alert, 'x').embeds[0]).toMatchObject({
			title: '🚨 FIRING: Circuit breaker open',
			color: 0x8b0000,
			fields: [
				{name: 'Value', value: 'open', inline: true},
				{name: 'Threshold', value: 'open', inline: true},
				{name: 'Window', value: 'current state', inline: true},
				{name: 'Host', value: 'ingest-02', inline: true},
				{name: 'Recommended action', value: expect.stringContaining('circuit_breaker_timeout'), inline: false},
			],
		});
	});

	it('reads retry_after (seconds) from the 429 body, then the Retry-After header', () => {
		expect(retryAfterMs('{"message":"You are being rate limited.","retry_after":0.25,"global":false}', undefined)).toBe(250);
		expect(retryAfterMs('not json', '2')).toBe(2000);
		expect(retryAfterMs('', undefined)).toBe(1000);
	});
});

describe('the farm message', () => {
	it('names every node the condition holds on instead of one host, and summarises a farm too large for one field', () => {
		const {firing} = memoryAlerts('warning');
		const payload = discordPayload({...firing, nodes: ['render-01', 'render-02', 'render-03']}, 'farm');
		expect(payload.embeds[0].fields).toContainEqual({name: 'Nodes (3)', value: 'render-01, render-02, render-03', inline: false});
		expect(payload.embeds[0].fields.some(field => field.name === 'Host')).toBe(false);
		const many = Array.from({length: 200}, (_, index) => `render-node-${String(index).padStart(3, '0')}`);
		const field = discordPayload({...firing, nodes: many}, 'farm').embeds[0].fields.find(item => item.name === 'Nodes (200)')!;
		expect(field.value.length).toBeLessThanOrEqual(1024);
		expect(field.value).toMatch(/^render-node-000, render-node-001, .*, … and \d+ more$/);
		const listed = field.value.split(', … and ')[0].split(', ').length;
		expect(field.value.endsWith(`and ${200 - listed} more`)).toBe(true);
	});
});
