/**
 * Hooks the pipeline calls as things happen, for what a snapshot of counters
 * cannot give: latencies, and counts split by line or kind. The metrics
 * adapter implements them. Each is called on the hot path: it must be cheap
 * and must not throw.
 */
export interface PipelineObserver {
  /** One reading went through parse, validation, scoring and decision in `seconds`. */
  scored(device: string, seconds: number, isAnomaly: boolean): void;
  /**
   * The broker acknowledged a publish (QoS 0: it was written). `sinceReceivedSeconds` is given for the
   * first result of a reading: the time from the reading's arrival to this acknowledgement.
   */
  published(topic: string, sinceReceivedSeconds: number | undefined): void;
  /** An incident event went out (opened, updated or closed). */
  incident(event: IncidentEventSummary): void;
}

/** The fields of an incident event the observers need. */
export interface IncidentEventSummary {
  readonly device: string;
  readonly incident_id: string;
  readonly state: string;
  readonly kind: string;
}
