// The upload engine's public surface: the queue (what commands and the console use), its settings, and the
// narrow API it needs from the Frame.io client.
export {UploadQueue, UploadInputError, type AddInput, type AddLocalInput, type AddRemoteInput, type QueueEvent, type UploadQueueOptions} from './upload-queue.js';
export type {JobStack, UploadJob, UploadJobSnapshot, UploadJobState, UploadQueueSnapshot, UploadStep, UploadTotals} from './job.js';
export {describeStack, VersionStacker, type StackingApi, type VersionStackingOptions} from './version-stacker.js';
export {uploadSettingsFrom, type UploadSettings, type UploadSettingsOverrides} from './upload-settings.js';
export type {UploadApi} from './upload-api.js';
export {stackingApiFromClient, uploadApiFromClient, type StackingEndpoints, type UploadEndpoints} from './client-adapter.js';
export {QueueLockedError, QUEUE_FILE, readQueueFile} from './queue-store.js';
export {urlForLog} from './safe-url.js';
export {describeSweep, JOURNAL_DIR, openJournal, PlaceholderJournal, sweepJournals, sweepOrphans, type JournalOptions, type SweepResult} from './placeholder-journal.js';
