import type { RefObject } from 'preact';

interface Format {
  label: string;
  /** Shown on the button; the label is what a screen reader says. */
  glyph: string;
  before: string;
  after: string;
  placeholder: string;
}

const FORMATS: Format[] = [
  { label: 'Bold', glyph: 'B', before: '**', after: '**', placeholder: 'bold text' },
  { label: 'Italic', glyph: 'I', before: '_', after: '_', placeholder: 'italic text' },
  { label: 'Link', glyph: 'Link', before: '[', after: '](https://)', placeholder: 'link text' },
  { label: 'Bulleted list', glyph: '•', before: '\n- ', after: '', placeholder: 'item' },
  { label: 'Code', glyph: '</>', before: '`', after: '`', placeholder: 'code' },
];

/** Wraps the selection in `text` with a format's Markdown; answers the new text and selection. */
export function applyFormat(
  text: string,
  start: number,
  end: number,
  format: Pick<Format, 'before' | 'after' | 'placeholder'>,
): { text: string; start: number; end: number } {
  const selected = text.slice(start, end) || format.placeholder;
  const next = text.slice(0, start) + format.before + selected + format.after + text.slice(end);
  const from = start + format.before.length;
  return { text: next, start: from, end: from + selected.length };
}

/** Buttons that write Markdown into the reply (the server renders it; nothing here renders HTML). */
export function FormatToolbar({
  textarea,
  onChange,
}: {
  textarea: RefObject<HTMLTextAreaElement>;
  onChange: (text: string) => void;
}) {
  function apply(format: Format) {
    const box = textarea.current;
    if (!box) return;
    const result = applyFormat(box.value, box.selectionStart, box.selectionEnd, format);
    onChange(result.text);
    requestAnimationFrame(() => {
      box.focus();
      box.setSelectionRange(result.start, result.end);
    });
  }
  return (
    <div class="format-toolbar" role="toolbar" aria-label="Formatting" aria-controls="reply-body">
      {FORMATS.map((format) => (
        <button
          key={format.label}
          type="button"
          class="button button--small format-toolbar__button"
          aria-label={format.label}
          title={format.label}
          onClick={() => apply(format)}
        >
          <span aria-hidden="true">{format.glyph}</span>
        </button>
      ))}
    </div>
  );
}
