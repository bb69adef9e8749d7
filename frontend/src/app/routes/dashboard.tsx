import { useLocation } from 'preact-iso';
import { GoalStrip } from '@/features/metrics/components/goal-strip';
import { GettingStarted } from '@/features/onboarding/components/getting-started';
import { FilterBar } from '@/features/tickets/components/filter-bar';
import { TicketList } from '@/features/tickets/components/ticket-list';
import { canonicalSearch, isViewSearch, navViews, useViews } from '@/features/views/api/views';
import { SaveView } from '@/features/views/components/save-view';
import { ViewsNav } from '@/features/views/components/views-nav';
import { assigneeChoices } from '@/components/assignee-picker';
import { Can, useCan, useMe } from '@/lib/auth';
import { useAgentRoom, useQueues, useTags } from '@/lib/desk-api';
import { useDocumentTitle } from '@/lib/document-title';
import { filtersFromSearch, filtersToSearch, type TicketFilters } from '@/lib/ticket-filters';
import { useUserNames, useUsers } from '@/lib/users';

/** The URL's query string is the list's state: shareable, and Back undoes a filter change. */
export function searchOf(url: string): string {
  const index = url.indexOf('?');
  return index === -1 ? '' : url.slice(index + 1);
}

export function DashboardPage() {
  const { url, route } = useLocation();
  const search = searchOf(url);
  const filters = filtersFromSearch(search);
  const users = useUsers().data?.items ?? [];
  const userNames = useUserNames();
  const current = canonicalSearch(search);
  const views = useViews();
  const canWrite = useCan('tickets.write');
  const canAssign = useCan('tickets.assign');
  const queues = useQueues();
  const tags = useTags();
  const room = useAgentRoom(canAssign);
  const myId = useMe().data?.user.id;
  // Without 'tickets.assign' the one person an agent may give tickets to is themselves (taking them).
  const assignees = canAssign
    ? assigneeChoices(users, room.data?.items, undefined)
    : myId
      ? [{ id: myId, name: 'Me', detail: 'take them', allowed: true }]
      : [];
  const queueNames = (queues.data?.items ?? []).map((q) => q.name);
  const tagCounts = tags.data?.items ?? [];
  const { builtin, saved } = navViews(views.data, views.isError);
  const viewName =
    [...builtin, ...saved].find((view) => isViewSearch(view, current))?.name ??
    (current ? 'Filtered tickets' : 'All tickets');
  useDocumentTitle(viewName);

  const applyFilters = (next: TicketFilters) => {
    const nextSearch = filtersToSearch(next);
    if (nextSearch !== current) route(nextSearch ? `/?${nextSearch}` : '/');
  };

  return (
    <div class="dashboard">
      <ViewsNav search={search} />
      <section class="dashboard__main" aria-labelledby="list-heading">
        {/* a new workspace opens on what is left to set up (for whoever sets it up) */}
        <Can permission="settings.manage">
          <GettingStarted />
        </Can>
        {/* the team's goals at a glance, for whoever watches the team's figures (leads above all) */}
        <Can permission="metrics.read">
          <GoalStrip />
        </Can>
        <div class="dashboard__heading">
          <h1 id="list-heading">{viewName}</h1>
          <SaveView search={search} />
        </div>
        <FilterBar
          filters={filters}
          users={users}
          onChange={applyFilters}
          queueSuggestions={queueNames}
          tagSuggestions={tagCounts}
        />
        <TicketList
          filters={filters}
          userNames={userNames}
          selectable={canWrite}
          assignees={assignees}
          queueSuggestions={queueNames}
          tagSuggestions={tagCounts.map((t) => t.tag)}
        />
      </section>
    </div>
  );
}
