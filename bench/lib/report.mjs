// A bench's figures: each with its budget (when it has one) and pass/miss, printed as they come and written
// to bench/results/<name>.json for the README table (readme.mjs).
import {mkdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {machineInfo, RESULTS_DIR, round} from './common.mjs';

const OPS = {
	'<=': (value, limit) => value <= limit,
	'>=': (value, limit) => value >= limit,
	'==': (value, limit) => value === limit,
	'<': (value, limit) => value < limit,
};

const SYMBOL = {'<=': '≤', '>=': '≥', '==': '=', '<': '<'};

export function budgetText(budget, unit) {
	if (!budget) return '';
	return `${SYMBOL[budget.op]} ${budget.value}${unit ? ` ${unit}` : ''}`;
}

export class Report {
	constructor(name, title) {
		this.name = name;
		this.title = title;
		this.machine = machineInfo();
		this.started = Date.now();
		this.figures = [];
		this.notes = [];
		this.written = false;
		process.stdout.write(`\n== ${title} (${name}) ==\n`);
		// A bench that crashes still leaves what it measured, with the reason.
		const crash = error => {
			process.stderr.write(`bench ${name} failed: ${error instanceof Error ? error.stack : String(error)}\n`);
			this.note(`the bench stopped early: ${error instanceof Error ? error.message : String(error)}`);
			this.write({failed: true});
			process.exit(1);
		};
		process.once('uncaughtException', crash);
		process.once('unhandledRejection', crash);
	}

	/**
	 * One measured figure. budget = {op: '<=' | '>=' | '==' | '<', value}; without it the figure is informational.
	 * Returns the stored figure.
	 */
	figure(metric, value, unit, budget, detail) {
		const shown = typeof value === 'number' ? round(value, Math.abs(value) >= 100 ? 0 : 2) : value;
		let status = 'info';
		if (budget) status = typeof value === 'number' && Number.isFinite(value) ? (OPS[budget.op](value, budget.value) ? 'pass' : 'miss') : 'n/a';
		const figure = {metric, value: shown, unit: unit ?? '', budget: budget ?? null, status, ...(detail ? {detail} : {})};
		this.figures.push(figure);
		const budgetPart = budget ? `  (budget ${budgetText(budget, unit)})  ${status.toUpperCase()}` : '';
		process.stdout.write(`  ${metric.padEnd(52, '.')} ${shown}${unit ? ` ${unit}` : ''}${budgetPart}${detail ? `  [${detail}]` : ''}\n`);
		return figure;
	}

	/** A figure that could not be measured now, and why (a piece not built yet, a tool missing). */
	skip(metric, reason, budget, unit) {
		this.figures.push({metric, value: null, unit: unit ?? '', budget: budget ?? null, status: 'skipped', reason});
		process.stdout.write(`  ${metric.padEnd(52, '.')} skipped: ${reason}\n`);
	}

	note(text) {
		this.notes.push(text);
		process.stdout.write(`  note: ${text}\n`);
	}

	get missed() {
		return this.figures.filter(figure => figure.status === 'miss').length;
	}

	/** Writes bench/results/<name>.json (once) and returns its path. */
	write(extra = {}) {
		if (this.written) return;
		this.written = true;
		mkdirSync(RESULTS_DIR, {recursive: true});
		const file = path.join(RESULTS_DIR, `${this.name}.json`);
		const body = {
			name: this.name,
			title: this.title,
			machine: this.machine,
			durationS: round((Date.now() - this.started) / 1000, 1),
			figures: this.figures,
			notes: this.notes,
			...extra,
		};
		writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`);
		process.stdout.write(`  → ${path.relative(process.cwd(), file) || file}\n`);
		return file;
	}
}
