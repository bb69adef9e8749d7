import { fireEvent, render, screen } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { FormattedEmail } from './formatted-email';

describe('FormattedEmail', () => {
  it('shows nothing when the email had no HTML', () => {
    const { container } = render(<FormattedEmail html={null} label="public reply by Ana" />);
    expect(container).toBeEmptyDOMElement();
  });

  it('shows the HTML only on request, inside a frame sandboxed with no permissions', () => {
    const html = '<p>Printer <b id="bold">on fire</b></p>';
    const { container } = render(<FormattedEmail html={html} label="public reply by Ana" />);
    expect(container.querySelector('iframe')).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'View formatted email' }));

    const frame = screen.getByTitle('Formatted email: public reply by Ana');
    expect(frame.getAttribute('sandbox')).toBe('');
    expect(frame.getAttribute('srcdoc')).toContain(html);
    // never parsed into the page itself
    expect(document.getElementById('bold')).toBeNull();
    expect(screen.getByRole('button', { name: 'Hide formatted email' })).toHaveAttribute('aria-expanded', 'true');
  });
});
