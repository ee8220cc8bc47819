/**
 * @module
 * `herald/cluster`: campaigns shared by many processes — PostgreSQL for state, Redis (BullMQ)
 * for work, and the workers that run them (this entry loads pg, bullmq and ioredis).
 */
export { ClusterWorker } from './cluster/cluster-worker.js';
export type { ClusterWorkerOptions } from './cluster/cluster-worker.js';
export { submitCampaign, clusterStatus, openClusterClient } from './cluster/cluster-client.js';
export type { ClusterStatus } from './cluster/cluster-client.js';
export { openStore } from './store/open-store.js';
export { openPostgresStore } from './store/postgres-store.js';
export { postgresAudience } from './cluster/postgres-audience.js';
export type {
  ClusterCampaign,
  ClusterClient,
  ClusterLocation,
  Submission,
} from './cluster/cluster-client.js';
export type { ClusterQuotas, QuotaState } from './cluster/cluster-rate-limiter.js';
export type { PgQueryable, PostgresStore, PostgresStoreOptions } from './store/postgres-store.js';
export type { PostgresAudienceOptions } from './cluster/postgres-audience.js';
export type { WorkerEvent } from './cluster/cluster-worker.js';
