/**
 * @module
 * `herald/schedule`: when a step runs in each recipient's zone — planning, previews, send-time
 * optimisation, forecasts and frequency caps.
 */
export { planStep } from './schedule/plan-step.js';
export { previewRunTimes } from './schedule/timing-preview.js';
export { forecastCampaign } from './schedule/send-forecast.js';
export { bestSendHour, planOptimizedSends } from './schedule/send-time-optimizer.js';
export { applyFrequencyCap } from './schedule/frequency-cap.js';
export { systemClock } from './schedule/clock.js';
export type { Clock } from './schedule/clock.js';
export type { Timing } from './spec/timing-schema.js';
export type {
  CapDecision,
  FrequencyCap,
  FrequencyCapOptions,
  SendRecord,
} from './schedule/frequency-cap.js';
export type { Channel, SendWindow } from './schedule/send-window.js';
export type { DstPolicy } from './schedule/dst-policy.js';
export type {
  EngagementEvent,
  HourProfile,
  OptimizedPlanInput,
  SendTimeChoice,
  SendTimeInput,
} from './schedule/send-time-optimizer.js';
export type { ForecastInput, ForecastRow, SendForecast } from './schedule/send-forecast.js';
export type { PlanInput, SendWave } from './schedule/plan-step.js';
export type { PreviewOptions, RunTime } from './schedule/timing-preview.js';
