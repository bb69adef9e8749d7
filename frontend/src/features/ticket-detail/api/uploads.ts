import { api } from '@/lib/api-client';
import type { components } from '@/types/openapi.gen';

export type UploadStarted = components['schemas']['UploadStartedOut'];

/** Asks for a presigned POST that accepts exactly this file (its type and size) for this ticket. */
export function startUpload(ticketId: string, file: File): Promise<UploadStarted> {
  return api.post<UploadStarted>(`/tickets/${encodeURIComponent(ticketId)}/uploads`, {
    filename: file.name,
    content_type: file.type || 'application/octet-stream',
    size: file.size,
  });
}

/** Sends the file straight to S3: the policy's fields first, the file last (S3 reads them in order). */
export async function sendToStorage(started: UploadStarted, file: File): Promise<void> {
  const form = new FormData();
  for (const [name, value] of Object.entries(started.fields)) form.append(name, value);
  form.append('file', file);
  const answer = await fetch(started.url, { method: 'POST', body: form });
  if (!answer.ok) throw new Error(`The upload of ${file.name} was refused (${answer.status}).`);
}

/** Starts and sends one file; answers the upload id a reply names. */
export async function uploadAttachment(ticketId: string, file: File): Promise<string> {
  const started = await startUpload(ticketId, file);
  if (file.size > started.max_bytes) throw new Error(`${file.name} is larger than ${started.max_bytes} bytes.`);
  await sendToStorage(started, file);
  return started.id;
}
