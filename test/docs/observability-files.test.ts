// The Prometheus and Grafana files in docs/ stay true to the product: every series they query is one a process
// really exports (read from a real scrape), the alert rules carry the thresholds, windows and levels of
// config/alerts.json's four seed rules, and the dashboard is importable (a datasource input, unique panel ids, a
// grid 24 wide). promtool checks the PromQL itself (docs/farm.md says how); it is not part of this test run.
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {parse as parseYaml} from 'yaml';
import {loadConfig} from '../../source/config/index.js';
import {EventBus} from '../../source/events/index.js';
import {createPrometheusExporter} from '../../source/metrics/prometheus.js';
import {parseExposition} from '../helpers/prometheus-text.js';

const docs = path.resolve('docs');

/** The names a scrape offers, histograms with their _bucket, _sum and _count series. */
async function exportedNames(): Promise<Set<string>> {
	const bus = new EventBus();
	const exporter = createPrometheusExporter({bus, node: 'n', role: 'watch'});
	bus.emit({type: 'api', at: Date.now(), op: 'me', method: 'GET', status: 200, ms: 5, bytes: 1, retries: 0, fromCache: false});
	const metrics = await parseExposition((await exporter.scrape()).body);
	exporter.detach();
	const names = new Set<string>();
	for (const [name, metric] of Object.entries(metrics)) {
		names.add(name);
		if (metric.type === 'histogram' || metric.type === 'summary') for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${name}${suffix}`);
	}
	return names;
}

/** Series names in a PromQL expression: identifiers that are not functions, keywords, labels or label values. */
function seriesIn(expr: string): string[] {
	const withoutStrings = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/\{[^}]*\}/g, '{}');
	const words = withoutStrings.match(/[a-zA-Z_:][a-zA-Z0-9_:]*(?=\s*[{[)\s]|$)/g) ?? [];
	const keywords = new Set(['sum', 'by', 'rate', 'increase', 'and', 'on', 'max', 'count', 'topk', 'histogram_quantile', 'avg_over_time', 'le', 'node', 'op', 'result', 'role', 'instance']);
	return [...new Set(words.filter(word => !keywords.has(word) && /_/.test(word)))];
}

type Rule = {alert: string; expr: string; for: string; labels: {severity: string}; annotations: {summary: string; action: string}};

describe('docs/prometheus/alerts.yml', () => {
	const file = parseYaml(readFileSync(path.join(docs, 'prometheus', 'alerts.yml'), 'utf8')) as {groups: Array<{name: string; rules: Rule[]}>};
	const rules = file.groups.flatMap(group => group.rules);
	const byName = Object.fromEntries(rules.map(rule => [rule.alert, rule]));

	it("holds the seed's four thresholds with alerts.json's windows and levels", () => {
		const {alerts} = loadConfig(path.resolve('config'));
		const seed = [
			['FrameioAdminApiErrorRate', 'error_rate', (t: number) => `> ${t}`],
			['FrameioAdminApiLatency', 'api_latency', (t: number) => `> ${t}`],
			['FrameioAdminMemory', 'memory', (t: number) => `> ${t} * 1024 * 1024`],
			['FrameioAdminCacheMissRate', 'cache_miss_rate', (t: number) => `> ${t.toFixed(2)}`],
		] as const;
		expect(rules.map(rule => rule.alert)).toEqual(seed.map(([name]) => name));
		for (const [name, key, threshold] of seed) {
			const rule = byName[name];
			const configured = alerts.rules[key];
			expect(rule.expr, name).toContain(threshold(configured.threshold));
			expect(rule.labels.severity, name).toBe(configured.level);
			// The range of the expression is the rule's window.
			expect(rule.expr, name).toContain(`[${configured.window_seconds / 60}m]`);
			expect(rule.annotations.summary, name).toMatch(/\{\{ \$labels\.node \}\}/);
			expect(rule.annotations.action.length, name).toBeGreaterThan(20);
		}
	});

	it('queries only series a process exports', async () => {
		const names = await exportedNames();
		for (const rule of rules) {
			const used = seriesIn(rule.expr);
			expect(used.length, rule.alert).toBeGreaterThan(0);
			for (const name of used) expect(names, `${rule.alert}: ${name}`).toContain(name);
		}
	});

	it('ships its promtool unit tests, one per rule', () => {
		const tests = parseYaml(readFileSync(path.join(docs, 'prometheus', 'alerts.test.yml'), 'utf8')) as {rule_files: string[]; tests: Array<{alert_rule_test: Array<{alertname: string; exp_alerts?: unknown[]}>}>};
		expect(tests.rule_files).toEqual(['alerts.yml']);
		const firing = tests.tests.flatMap(test => test.alert_rule_test).filter(check => (check.exp_alerts ?? []).length > 0).map(check => check.alertname);
		expect(new Set(firing)).toEqual(new Set(rules.map(rule => rule.alert)));
	});
});

describe('docs/grafana/frameio-admin.json', () => {
	type Target = {expr: string; datasource: {uid: string}};
	type Panel = {id: number; type: string; title: string; gridPos: {x: number; y: number; w: number; h: number}; targets?: Target[]; datasource?: {uid: string}};
	const dashboard = JSON.parse(readFileSync(path.join(docs, 'grafana', 'frameio-admin.json'), 'utf8')) as {
		__inputs: Array<{name: string; pluginId: string}>;
		uid: string;
		templating: {list: Array<{name: string; query: {query: string}}>};
		panels: Panel[];
	};

	it('imports into Grafana: a Prometheus datasource input, unique panel ids, a grid 24 wide, a node variable', () => {
		expect(dashboard.__inputs).toEqual([expect.objectContaining({name: 'DS_PROMETHEUS', pluginId: 'prometheus'})]);
		expect(dashboard.uid).toBe('frameio-admin');
		const ids = dashboard.panels.map(panel => panel.id);
		expect(new Set(ids).size).toBe(ids.length);
		for (const panel of dashboard.panels) {
			expect(panel.gridPos.x + panel.gridPos.w, panel.title).toBeLessThanOrEqual(24);
			for (const target of panel.targets ?? []) expect(target.datasource.uid, panel.title).toBe('${DS_PROMETHEUS}');
		}
		expect(dashboard.templating.list.map(variable => [variable.name, variable.query.query])).toEqual([['node', 'label_values(frameio_admin_build_info, node)']]);
	});

	it('charts every series the exporter documents, and only series that exist, filtered by node', async () => {
		const names = await exportedNames();
		const targets = dashboard.panels.flatMap(panel => (panel.targets ?? []).map(target => ({panel: panel.title, expr: target.expr})));
		const used = new Set<string>();
		for (const {panel, expr} of targets) {
			expect(expr, panel).toContain('node=~"$node"');
			for (const name of seriesIn(expr)) {
				expect(names, `${panel}: ${name}`).toContain(name);
				used.add(name.replace(/_(bucket|sum|count)$/, ''));
			}
		}
		const ours = [...names].filter(name => name.startsWith('frameio_admin_') && !/_(bucket|sum|count)$/.test(name));
		for (const name of ours) expect(used, name).toContain(name);
	});
});
