// STUB: replaced by the nomenclature work. Keeps the loader compiling meanwhile.
import {z} from 'zod';

export const nomenclatureSchema = z.looseObject({});
export type NomenclatureConfig = z.infer<typeof nomenclatureSchema>;
export const nomenclatureDefaults: NomenclatureConfig = {};
