/**
 * One person (docs/paging.md): an answer counts for the person who gave it, wherever they gave it. An acknowledge or
 * check_in in the app by an account linked to a person (the engine's responder hook) and a monitoring tool's
 * acknowledgement (recorded by noise control) both reach PagingService.acknowledgedBy, as an ack link does itself.
 */
import type { EngineHooks } from '../incidents/engine.js';
import { ACK_OF_LABEL } from '../intake/acknowledgements.js';
import type { Logger } from '../log/logger.js';
import type { PagingService } from '../notify/service.js';

export function answerHooks(paging: () => PagingService, suppress: NonNullable<EngineHooks['suppress']>, log: Logger): Required<Pick<EngineHooks, 'suppress' | 'responder'>> {
  return {
    // in the engine's transaction: the pages stop with the round that records the acknowledgement
    suppress: async (trx, signal, known) => {
      const outcome = await suppress(trx, signal, known);
      if (outcome === 'acknowledged') {
        const labels = JSON.parse(signal.labels) as Record<string, string>;
        const at = Math.min(signal.at, signal.received_at);
        await paging().acknowledgedInTool(trx, { source: signal.source, alertKey: labels[ACK_OF_LABEL] ?? signal.dedup_key, author: labels.author ?? null, at });
      }
      return outcome;
    },
    responder: {
      roleFor: (incidentId, personId, given, at) => paging().roleFor(incidentId, personId, given, at),
      // after the action's commit: the action stands even if this fails (the worker's repeat check is the backstop)
      answered: (a) =>
        paging()
          .acknowledgedBy({ ...a, via: 'app' })
          .then(
            () => undefined,
            (err) => log.error({ err, incidentId: a.incidentId, personId: a.personId }, 'answering the pages of a person who acknowledged failed'),
          ),
    },
  };
}
