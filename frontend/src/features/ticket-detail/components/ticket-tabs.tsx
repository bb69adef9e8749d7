export type TicketTab = 'conversation' | 'history';

const TABS: { id: TicketTab; label: string }[] = [
  { id: 'conversation', label: 'Conversation' },
  { id: 'history', label: 'History' },
];

/** WAI-ARIA tabs: arrow keys move between tabs, Tab moves into the panel. */
export function TicketTabs({ selected, onSelect }: { selected: TicketTab; onSelect: (tab: TicketTab) => void }) {
  function onKeyDown(event: KeyboardEvent) {
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
    event.preventDefault();
    const index = TABS.findIndex((tab) => tab.id === selected);
    const next = TABS[(index + (event.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length];
    onSelect(next.id);
    document.getElementById(`tab-${next.id}`)?.focus();
  }
  return (
    <div class="tabs" role="tablist" aria-label="Ticket sections" onKeyDown={onKeyDown}>
      {TABS.map((tab) => (
        <button
          key={tab.id}
          type="button"
          role="tab"
          id={`tab-${tab.id}`}
          class="tabs__tab"
          aria-selected={tab.id === selected}
          aria-controls={`panel-${tab.id}`}
          tabIndex={tab.id === selected ? 0 : -1}
          onClick={() => onSelect(tab.id)}
        >
          {tab.label}
        </button>
      ))}
    </div>
  );
}
