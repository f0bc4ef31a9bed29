// EventBridge API facts shared by the catalog, the local bus and the client (envelope.ts): the event envelope, and how
// PutEvents sizes and bounds its entries. Code outside this folder uses these names only.
export {
  ENVELOPE_KEYS,
  envelopeFromPutEventsEntry,
  jsonDepthExceeds,
  putEventsEntrySize,
  type EventEnvelope,
} from './envelope';
