// The intake journal's reader thread (FileJournal in journal-store.ts): reads the senders' bodies (JSON,
// format, mapping to the plan) and leaves out exact repeats, in arrival order, and hands each row to the
// writer thread as soon as it is ready: the writer's fsync of the rows before it overlaps with reading the
// ones after. Refusals and requests with nothing to write are answered from here. Changes of the settled
// states go to the main thread through the writer, in order with the writes' answers (see FileJournal).
import { parentPort, receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { AppError } from '../../shared/errors.js';
import type { ReaderMessage, ThreadReply, WriterMessage } from './store.js';
import { JournalEntries, type MappingPlan } from './entries.js';
import type { SettledChange } from './settled-states.js';
import { summariseRow } from '../../signals/pending-rows.js';

const main = parentPort!;
const { plan, writer: writerPort, forgotten: forgottenAtStart } = workerData as { plan: MappingPlan; writer: MessagePort; forgotten: number };
let changes: SettledChange[] = [];
let forgotten = forgottenAtStart;
const entries = new JournalEntries(plan, (change) => changes.push(change));
const takeChanges = () => {
  const taken = changes;
  changes = [];
  return taken;
};

main.postMessage({ ready: true });
main.on('message', (first: ReaderMessage[]) => {
  const messages = [...first]; // each message: what the main thread sent in one turn
  for (let next = receiveMessageOnPort(main); next; next = receiveMessageOnPort(main)) messages.push(...(next.message as ReaderMessage[]));
  const replies: ThreadReply[] = [];
  for (const m of messages) {
    if ('settled' in m) entries.settled(m.settled);
    else if ('forget' in m) {
      entries.forget();
      forgotten = m.forget;
    } else {
      try {
        const prepared = entries.prepare(m.request, m.receivedAt);
        if (prepared.entries.length === 0) replies.push({ id: m.id, appended: { seq: 0, accepted: prepared.accepted, written: 0, repeats: prepared.accepted } });
        else {
          const row: WriterMessage = {
            id: m.id,
            receivedAt: m.receivedAt,
            count: prepared.entries.length,
            json: JSON.stringify(prepared.entries),
            accepted: prepared.accepted,
            summary: summariseRow(prepared.entries),
            forgotten,
            ...(changes.length ? { changes: takeChanges() } : {}),
          };
          writerPort.postMessage([row]);
        }
      } catch (err) {
        if (err instanceof AppError && err.status === 400) replies.push({ id: m.id, refused: { code: err.code, message: err.message, issues: err.issues } });
        else replies.push({ id: m.id, error: (err as Error).message });
      }
    }
  }
  if (changes.length) writerPort.postMessage([{ changes: takeChanges(), forgotten }]);
  if (replies.length) main.postMessage({ replies });
});
