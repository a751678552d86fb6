// The optimization report: from a window of the structured logs, or from a probe run.
export {assess, checkIds, type Assessment, type Check, type CheckId, type Verdict} from './recommendations.js';
export {buildReport, type BuildReportInput} from './build-report.js';
export {figuresFromLogs, type FromLogsOptions} from './from-logs.js';
export {formatReport} from './format-report.js';
export {eventsOfLine, type Replayed} from './log-replay.js';
export {runProbeWorkload, ProbeSetupError, type ProbeClient, type ProbeTarget, type ProbeWorkloadOptions, type ProbeWorkloadResult} from './probe-workload.js';
export {runProbeUpload, type ProbeUploadOptions} from './probe-upload.js';
export type {LogSource, ProbeSource, ProbeUpload, Report} from './report-model.js';
export {reportFileName, writeReportFile} from './write-report.js';
