import { useRef, useState } from 'preact/hooks';
import { DownloadItem } from '@/features/ticket-detail/components/attachment-list';
import { sendToStorage } from '@/features/ticket-detail/api/uploads';
import { isApiError } from '@/lib/api-client';
import { formatBytes } from '@/lib/format';
import { type PortalAttachment, type UploadTarget, portalAttachmentLink, startPortalUpload } from '../api/portal-api';

interface PickedFile {
  key: string;
  name: string;
  size: number;
  uploadId?: string;
  error?: string;
}

function uploadProblem(file: File, error: unknown): string {
  if (isApiError(error, 422)) {
    const found = error.fieldErrors.find((e) => ['content_type', 'size', 'filename'].includes(e.field));
    if (found) return `${file.name} ${found.message}`;
  }
  return error instanceof Error ? `${file.name}: ${error.message}` : `${file.name}: the upload failed`;
}

/**
 * Files a requester adds to a message, each sent straight to storage as soon as it is picked. For a new
 * request (`requestId` target) the first file's answer names the request the others are for, so the
 * uploads start one after another; the bytes still travel in parallel.
 */
export function usePortalFiles(slug: string, target: { ticketId: string } | 'new-request') {
  const [files, setFiles] = useState<PickedFile[]>([]);
  const requestId = useRef<string | null>(null);
  const starting = useRef<Promise<unknown>>(Promise.resolve());

  function add(list: FileList | null) {
    for (const file of Array.from(list ?? [])) {
      const key = `${file.name}-${file.size}-${Math.random().toString(36).slice(2)}`;
      setFiles((current) => [...current, { key, name: file.name, size: file.size }]);
      const where = (): UploadTarget => (target === 'new-request' ? { requestId: requestId.current } : target);
      const started = starting.current.then(() => startPortalUpload(slug, file, where()));
      starting.current = started.then(
        (answer) => {
          if (target === 'new-request') requestId.current = answer.request_id;
        },
        () => undefined,
      );
      started
        .then(async (answer) => {
          if (file.size > answer.max_bytes) throw new Error(`larger than ${formatBytes(answer.max_bytes)}`);
          await sendToStorage(answer, file);
          setFiles((current) => current.map((f) => (f.key === key ? { ...f, uploadId: answer.id } : f)));
        })
        .catch((error: unknown) =>
          setFiles((current) => current.map((f) => (f.key === key ? { ...f, error: uploadProblem(file, error) } : f))),
        );
    }
  }

  return {
    files,
    add,
    remove: (key: string) => setFiles((current) => current.filter((f) => f.key !== key)),
    clear: () => setFiles([]),
    uploading: files.some((f) => !f.uploadId && !f.error),
    ready: files.flatMap((f) => (f.uploadId ? [f.uploadId] : [])),
    requestId: () => requestId.current,
  };
}

type Files = ReturnType<typeof usePortalFiles>;

/** The "Attach files" control and the picked files with their state, each removable. */
export function FilePicker({ files, hint }: { files: Files; hint?: string }) {
  return (
    <div class="portal-files">
      <label class="button button--small portal-files__attach">
        Attach files
        <input
          type="file"
          multiple
          class="visually-hidden"
          onChange={(e) => {
            files.add(e.currentTarget.files);
            e.currentTarget.value = '';
          }}
        />
      </label>
      <span class="muted small">{hint ?? 'Images, PDF, text, CSV, ZIP or Office files, up to 10 MB each.'}</span>
      {files.files.length > 0 && (
        <ul class="portal-files__list" aria-label="Files to send">
          {files.files.map((file) => (
            <li key={file.key} class="portal-files__item">
              <span class="portal-files__name">{file.name}</span>
              {!file.error && (
                <span class="muted small">{file.uploadId ? `ready · ${formatBytes(file.size)}` : 'uploading…'}</span>
              )}
              <button
                type="button"
                class="button button--small"
                aria-label={`Remove ${file.name}`}
                onClick={() => files.remove(file.key)}
              >
                Remove
              </button>
              {file.error && (
                <p class="form__error portal-files__problem" role="alert">
                  {file.error}
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The files of one message of the conversation, each downloaded through a short-lived link. */
export function PortalAttachments({
  slug,
  ticketId,
  files,
}: {
  slug: string;
  ticketId: string;
  files: PortalAttachment[];
}) {
  if (!files.length) return null;
  return (
    <ul class="attachments" aria-label={`${files.length} ${files.length === 1 ? 'file' : 'files'}`}>
      {files.map((file) => (
        <DownloadItem
          key={file.id}
          id={file.id}
          filename={file.filename}
          meta={formatBytes(file.size)}
          link={() => portalAttachmentLink(slug, ticketId, file.id)}
        />
      ))}
    </ul>
  );
}
