// The structure service: listings through the cache (every page), tree views, the scene/shot layout, find-or-create.
export {StructureService, type StructureServiceOptions, type TreeOptions} from './structure-service.js';
export {structureApiFromClient, PAGE_SIZE, type StructureApi} from './structure-api.js';
export {cachedList, cachedPages, ListingTally, type ListingPage} from './cached-listing.js';
export {oldestFolder, type FindOrCreateOptions} from './find-or-create.js';
export {processLock, type FolderCreateLock, type HeldCreateLock} from './folder-create-lock.js';
export {DEFAULT_LAYOUT_ROOT, layoutRootFromConfig, layoutRootOf, type LayoutProgress} from './layout.js';
export {countItems} from './tree-walk.js';
export {formatOverview, formatProjectTree, formatLayout, formatListings} from './format-tree.js';
export {describePlace, placedFiles, readFolderContents, type FilePlace, type FolderContents, type FolderContentsApi, type PlacedFile} from './folder-contents.js';
export {ListingInvalidator, touchesListings, type InvalidationApi} from './webhook-invalidation.js';
export type * from './types.js';
