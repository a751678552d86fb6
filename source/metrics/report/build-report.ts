// Assembles the report: session facts, the figures, the checks against config/optimization.json.
import os from 'node:os';
import type {OptimizationConfig} from '../../config/index.js';
import {formatTypedDuration} from '../../format/duration.js';
import type {Figures} from '../figures.js';
import {assess} from './recommendations.js';
import type {LogSource, ProbeSource, Report} from './report-model.js';

export type BuildReportInput = {
	figures: Figures;
	source: LogSource | ProbeSource;
	config: OptimizationConfig;
	api: {kind: string; url: string};
	frameioUser?: {name: string; email: string} | null;
	generatedAt?: Date;
};

export function buildReport(input: BuildReportInput): Omit<Report, 'reportFile'> {
	const {figures} = input;
	const assessment = assess(figures, input.config);
	return {
		generatedAt: (input.generatedAt ?? new Date()).toISOString(),
		session: {
			host: os.hostname(),
			user: osUser(),
			frameioUser: input.frameioUser ?? null,
			api: input.api,
			window: {
				from: new Date(figures.window.from).toISOString(),
				to: new Date(figures.window.to).toISOString(),
				ms: figures.window.ms,
				label: formatTypedDuration(figures.window.ms),
			},
			source: input.source,
		},
		figures,
		checks: assessment.checks,
		verdict: assessment.verdict,
		recommendations: assessment.recommendations,
	};
}

function osUser(): string | null {
	try {
		return os.userInfo().username;
	} catch {
		return null;
	}
}
