import {readdirSync} from 'node:fs';
import {testDir} from '../helpers/secret-scan.js';

export const REPORT_NAME = /^frameio_optimization_report_\d{8}_\d{6}(_\d+)?\.txt$/;

/** Fresh logs, state and config dirs for one CLI run, and the flags that point at them. */
export function dirs(name: string) {
	const logsDir = testDir(`${name}-logs`);
	const stateDir = testDir(`${name}-state`);
	const configDir = testDir(`${name}-config`);
	return {logsDir, stateDir, configDir, args: ['--logs-dir', logsDir, '--state-dir', stateDir, '--config', configDir]};
}

export function reportFiles(logsDir: string): string[] {
	return readdirSync(logsDir).filter(name => REPORT_NAME.test(name));
}
