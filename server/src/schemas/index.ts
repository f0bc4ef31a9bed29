// Learned schemas of the user's own events (custom sources): inferred from sample events (inference.ts), read from
// the account's EventBridge schema registries (registrySchemas.ts), and looked up by source, detail-type and path
// (schemaIndex.ts). Pure: no LSP, no editor, no AWS call; the language service, the CLI and the client use it through
// this facade.
export {
  DEFAULT_INFERENCE_LIMITS,
  ENUM_MAX_DISTINCT,
  ENUM_MIN_SAMPLES,
  eventParts,
  inferSchemas,
  stringFormatOf,
  type InferenceLimits,
  type InferenceResult,
  type SampleInput,
} from './inference';
export { schemaFromRegistryContent, type RegistryConversion, type RegistrySchemaName } from './registrySchemas';
export { LearnedSchemaIndex, fieldAt, fieldTypeText, fieldsBelow, hasPath, type FoundField } from './schemaIndex';
export type { ExampleValue, JsonKind, LearnedField, LearnedSchema, StringFormat } from '../../../shared';
