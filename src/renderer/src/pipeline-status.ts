/** The `/api/status` payload as the page reads it (mirrors PipelineStatus in the main process). */
export interface PipelineStatusView {
  readonly startedAt: string;
  readonly paused: boolean;
  readonly generator: {
    readonly ratePerSecond: number;
    readonly eventsPerSecond: number;
    readonly produced: number;
  };
  readonly log: {
    readonly topic: string;
    readonly partitioner: string;
    readonly partitions: ReadonlyArray<{ partition: number; produced: number; endOffset: number }>;
  };
}
