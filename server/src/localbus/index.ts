// The local bus's facade: a local EventBridge + CloudWatch Logs endpoint (localBusServer.ts), the reading of
// CloudFormation / SAM templates into buses, rules and log groups (templateLoader.ts), and the `local-bus` command
// that runs it (localBusCommand.ts). Code outside this folder uses these names only.
export {
  LocalBus,
  startLocalBus,
  type LocalBusOptions,
  type RegionState,
  type ScheduledRuleFiring,
} from './localBusServer';
export { SYSTEM_CLOCK, type SchedulerClock } from './scheduler';
export type { LambdaFunction } from './lambdaFunctions';
export type { FunctionRunNotice } from './lambdaInvoker';
export {
  TemplateParseError,
  loadTemplate,
  parseTemplateText,
  readTemplate,
  type TemplateContext,
  type TemplateResources,
  type TemplateRule,
} from './templateLoader';
export { LOCAL_BUS_USAGE, runLocalBusCommand, type LocalBusCommandIo } from './localBusCommand';
export { DEFAULT_ACCOUNT_ID, DEFAULT_REGION } from './awsJsonProtocol';
export {
  MAX_BUS_HOPS,
  UNDELIVERED_LOG_GROUP,
  type LambdaHandler,
  type LambdaInvocation,
  type LambdaSource,
  type TargetDelivery,
} from './targetDispatch';
export type { MessageAttributeValue, SqsMessage, SqsQueue } from './sqsService';
export type { SnsAttribute, SnsSubscription, SnsTopic } from './snsService';
export { FAULT_KINDS, parseFaultSpec, type FaultKind, type FaultRule } from './faults';
