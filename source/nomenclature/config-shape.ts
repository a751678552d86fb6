import * as z from 'zod';

export const caseModes = ['strict', 'upper', 'insensitive'] as const;
export type CaseMode = (typeof caseModes)[number];

const description = z.string().optional();

const digitsField = z.object({
	kind: z.literal('digits'),
	min_length: z.number().int().min(1).max(255),
	max_length: z.number().int().min(1).max(255),
	/** Rejects a value made only of zeros (000), for sequences, shots and versions that start at 1. */
	nonzero: z.boolean().optional(),
	description,
});

const patternField = z.object({
	kind: z.literal('pattern'),
	regex: z.string().min(1),
	description: z.string().min(1),
});

const enumField = z.object({
	kind: z.literal('enum'),
	values: z.array(z.string().min(1)).min(1),
	description,
});

const literalField = z.object({
	kind: z.literal('literal'),
	value: z.string().min(1),
	description,
});

const fieldKinds = [digitsField, patternField, enumField, literalField] as const;
const fieldKeys = new Set(fieldKinds.flatMap(kind => Object.keys(kind.shape)));

// A partial config file is merged over the defaults key by key, so changing a built-in field's kind (digits →
// pattern) leaves the old kind's keys behind: those are dropped, while a key no kind knows (a typo) is an error.
export const fieldSpecSchema = z
	.looseObject({})
	.superRefine((field, context) => {
		const unknown = Object.keys(field).filter(key => !fieldKeys.has(key));
		if (unknown.length > 0) context.addIssue({code: 'unrecognized_keys', keys: unknown, input: field});
	})
	.pipe(z.discriminatedUnion('kind', fieldKinds));
export type FieldSpec = z.infer<typeof fieldSpecSchema>;

const key = z.string().regex(/^[a-z][a-z0-9_]*$/, 'expected a lower-case name: letters, digits and _');

const patternSchema = z.strictObject({
	description: z.string(),
	enabled: z.boolean(),
	template: z.string().min(1),
	fields: z.record(key, fieldSpecSchema),
	examples: z.array(z.string().min(1)).min(1),
	folder: z.strictObject({
		/** Format of the sequence label the scene folder is named from, or null: this pattern has no sequence. */
		sequence: z.string().min(1).nullable(),
		/** Format of the shot folder's name. */
		shot: z.string().min(1),
	}),
});
export type PatternConfig = z.infer<typeof patternSchema>;

const foldersSchema = z.strictObject({
	layout: z.string().min(1),
	scene: z.string().min(1),
	scene_names: z.record(z.string().min(1), z.string().min(1)),
	default_scene: z.string().min(1).nullable(),
});
export type FoldersConfig = z.infer<typeof foldersSchema>;

/** The shape of config/nomenclature.json; nomenclatureSchema (schema.ts) also checks that its patterns compile. */
export const nomenclatureShape = z.strictObject({
	active: z.string().min(1),
	case: z.enum(caseModes),
	folders: foldersSchema,
	patterns: z.record(key, patternSchema),
});

export type NomenclatureConfig = z.infer<typeof nomenclatureShape>;

const extensions = ['mov', 'mp4', 'avi', 'mkv', 'mxf'];
const extension: FieldSpec = {kind: 'enum', values: extensions, description: 'video container'};
const project: FieldSpec = {kind: 'literal', value: 'UNDLM', description: 'project code'};

/** The defaults, the same values config/nomenclature.json ships with (SEED-PARITY.md §3). */
export const nomenclatureDefaults: NomenclatureConfig = {
	active: 'undlm_sequence',
	case: 'strict',
	folders: {
		layout: 'WIP_BYSHOT/{scene}/{shot}',
		scene: 'SC{sequence:2}_{name}',
		scene_names: {},
		default_scene: null,
	},
	patterns: {
		undlm_sequence: {
			description: 'UNDLM_<SEQUENCE>_<SHOT 5 digits>_v<VERSION 3 digits>.<ext>',
			enabled: true,
			template: '{project}_{sequence}_{shot}_v{version}.{extension}',
			fields: {
				project,
				sequence: {kind: 'pattern', regex: '[A-Z0-9]+', description: 'upper-case letters and digits'},
				shot: {kind: 'digits', min_length: 5, max_length: 5},
				version: {kind: 'digits', min_length: 3, max_length: 3},
				extension,
			},
			examples: ['UNDLM_SEQ01_00042_v002.mp4', 'UNDLM_SEQ12_00310_v001.mov'],
			folder: {sequence: '{sequence}', shot: '{project}_{shot:5}'},
		},
		undlm_shot: {
			description: 'UNDLM_<SHOT 5 digits>_v<VERSION 3 digits>.<ext> (no sequence)',
			enabled: true,
			template: '{project}_{shot}_v{version}.{extension}',
			fields: {
				project,
				shot: {kind: 'digits', min_length: 5, max_length: 5},
				version: {kind: 'digits', min_length: 3, max_length: 3},
				extension,
			},
			examples: ['UNDLM_00042_v002.mp4'],
			folder: {sequence: null, shot: '{project}_{shot:5}'},
		},
		project_flexible: {
			description: '<PROJECT>_<SHOT 4-6 digits>_v<VERSION 2-4 digits>.<ext>',
			enabled: true,
			template: '{project}_{shot}_v{version}.{extension}',
			fields: {
				project: {kind: 'pattern', regex: '[A-Z][A-Z0-9]*', description: 'an upper-case project code'},
				shot: {kind: 'digits', min_length: 4, max_length: 6},
				version: {kind: 'digits', min_length: 2, max_length: 4},
				extension,
			},
			examples: ['DOCU_0042_v02.mov', 'UNDLM_000420_v0003.mxf'],
			folder: {sequence: null, shot: '{project}_{shot:5}'},
		},
		sq_undlm: {
			description: 'SQ<nn>_UNDLM_<SHOT 5 digits>_v<VERSION 3 digits>.<ext>, no all-zero values',
			enabled: true,
			template: 'SQ{sequence}_{project}_{shot}_v{version}.{extension}',
			fields: {
				sequence: {kind: 'digits', min_length: 2, max_length: 2, nonzero: true},
				project,
				shot: {kind: 'digits', min_length: 5, max_length: 5, nonzero: true},
				version: {kind: 'digits', min_length: 3, max_length: 3, nonzero: true},
				extension,
			},
			examples: ['SQ01_UNDLM_00042_v002.mp4'],
			folder: {sequence: 'SQ{sequence}', shot: '{project}_{shot:5}'},
		},
	},
};
