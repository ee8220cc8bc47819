/**
 * @module
 * Zod schemas of Microsoft Teams webhook answers. Neither webhook flavour has a structured
 * body: connectors answer `1`, Workflows answer 202 with nothing.
 */
import { z } from 'zod';

/** Connector `1`, Workflows empty, or whatever text a flow's Response action returns. */
export const WebhookAnswer = z.string();
/** A webhook's answer. */
export type WebhookAnswer = z.infer<typeof WebhookAnswer>;
