// EventBridge API facts shared by the catalog, the language service, the local bus and the client: the event envelope
// and how PutEvents sizes and bounds its entries (envelope.ts), what a rule's target receives (targetInput.ts), and
// schedule expressions (schedule.ts). Code outside this folder uses these names only.
export {
  ENVELOPE_KEYS,
  envelopeFromPutEventsEntry,
  eventTimeText,
  jsonDepthExceeds,
  putEventsEntrySize,
  type EventEnvelope,
} from './envelope';
export {
  PREDEFINED_INPUT_VARIABLES,
  MAX_INPUT_PATHS,
  inputPathProblem,
  inputPathsMapKeyProblem,
  inputProblems,
  inputTemplateProblems,
  isJsonTemplate,
  selectPath,
  substituteInputTemplate,
  targetInputText,
  templatePlaceholders,
  type DeliveryContext,
  type InputProblem,
  type TargetInputSpec,
  type TemplatePlaceholder,
} from './targetInput';
export {
  atInstant,
  formatInstant,
  isKnownTimeZone,
  nextCronTimes,
  readScheduleExpression,
  unixCronReplacement,
  type CronSchedule,
  type Schedule,
  type ScheduleDialect,
  type ScheduleProblem,
  type ScheduleReading,
} from './schedule';
