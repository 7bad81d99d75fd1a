/** The `/api/status` payload as the page reads it (mirrors PipelineStatus in the main process). */
export interface PipelineStatusView {
  readonly database: string;
  readonly generator: {
    readonly paused: boolean;
    readonly generator: {
      readonly ratePerSecond: number;
      readonly eventsPerSecond: number;
      readonly produced: number;
    };
    readonly log: {
      readonly topic: string;
      readonly partitioner: string;
      readonly partitions: ReadonlyArray<{
        partition: number;
        produced: number;
        endOffset: number;
      }>;
    };
  } | null;
  readonly engine: {
    readonly consumed: number;
    readonly checkpoints: number;
    readonly deadLetters: number;
    readonly lag: readonly number[];
    readonly engine: {
      readonly watermark: number | null;
      readonly openWindows: number;
      readonly lateEvents: number;
    };
  } | null;
}
