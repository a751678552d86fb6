// The shapes of the answers we read, checked at the edge (client.ts, on every call that gives one): an answer
// that is not what Frame.io documents fails its call with a message naming the field, instead of reaching the code
// as `undefined` (whoami printed "undefined <undefined>"). Our own, written from the published spec like types.ts;
// only what this tool reads is required, and every object is loose: the API may send more (and will, over time).
import * as z from 'zod';

const id = z.string().min(1);
const text = z.string();
const timestamp = z.string();

export const userSchema = z.looseObject({id, name: text, email: text});

export const accountSchema = z.looseObject({id, display_name: text});

export const workspaceSchema = z.looseObject({id, name: text});

export const projectSchema = z.looseObject({id, name: text, workspace_id: id, root_folder_id: id});

export const folderSchema = z.looseObject({id, name: text, type: z.literal('folder'), parent_id: id.nullable().optional()});

export const fileSchema = z.looseObject({
	id,
	name: text,
	type: z.literal('file'),
	file_size: z.number().int().min(0),
	status: z.enum(['created', 'uploaded', 'transcoded']),
	media_type: text.optional(),
	view_url: text.optional(),
	created_at: timestamp,
});

export const versionStackSchema = z.looseObject({id, name: text, type: z.literal('version_stack'), head_version: fileSchema.nullable().optional()});

/** An item of a folder's children, by its `type`. */
export const folderChildSchema = z.discriminatedUnion('type', [folderSchema, fileSchema, versionStackSchema]);

/** local_upload's answer: the placeholder and where each part goes, at the size Frame.io chose. */
export const fileWithUploadUrlsSchema = fileSchema.extend({
	media_type: text,
	upload_urls: z.array(z.looseObject({size: z.number().int().positive(), url: z.string().url()})).min(1),
});

export const uploadStatusSchema = z.looseObject({upload_complete: z.boolean(), upload_failed: z.boolean()});

export const webhookSchema = z.looseObject({id, name: text, url: text, events: z.array(text), active: z.boolean().optional()});

export const webhookWithSecretSchema = webhookSchema.extend({secret: z.string().min(1)});

/** `{data: …}` around one item. */
export function dataSchema(item: z.ZodType): z.ZodType {
	return z.looseObject({data: item});
}

/** A page of a list: `{data: [...], links: {next}}`; without `item`, only the envelope is checked. */
export function pageSchema(item: z.ZodType | undefined): z.ZodType {
	return z.looseObject({
		data: z.array(item ?? z.unknown()),
		links: z.looseObject({next: z.string().nullable().optional()}).nullable().optional(),
	});
}

/** remote_upload's answer: the placeholder, and (optionally) the status link to poll. */
export const remoteUploadSchema = z.looseObject({data: fileSchema, links: z.looseObject({status: z.string().optional()}).optional()});

/** What a status link answers: `{data: status}`, or the status itself. */
export const statusByLinkSchema = z.union([z.looseObject({data: uploadStatusSchema}), uploadStatusSchema]);
