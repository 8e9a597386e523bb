// Tenants: their quotas and what they use of them now.
import { get } from './api.js';
import { fill, h, table } from './dom.js';

const of = (used, limit) => (limit === null || limit === undefined ? `${used} (no limit)` : `${used} of ${limit}`);

export default {
  title: 'Tenants',
  mount(root) {
    const list = h('div', { id: 'tenant-list' });
    root.append(h('h1', {}, 'Tenants'), list);
    return {
      async refresh() {
        const tenants = await get('/admin/tenants');
        fill(list, table('Tenants: quotas and current use', ['Tenant', 'Sessions', 'Requests in flight', 'Requests per minute', 'Burst', 'Backends', 'Tools', 'Agents'],
          tenants.map((tenant) => {
            const quotas = tenant.definition.quotas ?? {};
            const tools = tenant.definition.tools ?? {};
            return h('tr', { 'data-tenant': tenant.id },
              h('th', { scope: 'row' }, tenant.id, tenant.listed ? '' : ' (not listed: unknownTenants: allow)'),
              h('td', {}, of(tenant.sessions, quotas.maxSessions)),
              h('td', {}, of(tenant.requestsInFlight, quotas.concurrentRequests)),
              h('td', {}, quotas.requestsPerMinute ?? '—'),
              h('td', {}, quotas.burst ?? '—'),
              h('td', {}, tenant.definition.backends ? tenant.definition.backends.join(', ') || 'none' : 'all'),
              h('td', {}, `${tools.allow ? `allow ${tools.allow.join(', ') || 'none'}` : 'allow all'}${tools.deny?.length ? `; deny ${tools.deny.join(', ')}` : ''}`),
              h('td', {}, tenant.definition.agents?.length ? tenant.definition.agents.join(', ') : '—'));
          })));
      },
    };
  },
};
