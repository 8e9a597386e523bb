// Overview: the gateway's status, its backends (state, circuit, health), the last minutes of calls, the audit backlog,
// and the cluster's members.
import { get } from './api.js';
import { fill, h, seconds, table } from './dom.js';
import { backendCells } from './backends.js';
import { chart } from './charts.js';

export default {
  title: 'Overview',
  mount(root) {
    const summary = h('dl', { class: 'summary', id: 'summary' });
    const backendTable = h('div', { id: 'overview-backends' });
    const charts = [
      chart('Calls per second', 'calls/s', 'callsPerSecond'),
      chart('Latency p50', 'ms', 'p50Millis'),
      chart('Latency p99', 'ms', 'p99Millis'),
      chart('Errors per step', 'errors', 'errors'),
    ];
    const backlog = h('div', { id: 'overview-audit' });
    const members = h('div', { id: 'overview-cluster' });
    root.append(
      h('h1', {}, 'Overview'),
      summary,
      h('h2', {}, 'Backends'),
      backendTable,
      h('h2', {}, 'Calls over the last minutes'),
      h('div', { class: 'charts' }, charts.map((each) => each.element)),
      h('h2', {}, 'Audit'),
      backlog,
      h('h2', {}, 'Cluster'),
      members,
    );
    return {
      async refresh() {
        const [status, backends, calls] = await Promise.all([get('/admin/status'), get('/admin/backends'), get('/admin/calls')]);
        const cluster = status.cluster === null ? null : await get('/admin/cluster');
        const states = Object.entries(status.backends).map(([state, count]) => `${count} ${state}`).join(', ') || 'none';
        fill(summary,
          h('div', {}, h('dt', {}, 'Version'), h('dd', {}, status.version)),
          h('div', {}, h('dt', {}, 'Up for'), h('dd', {}, seconds(status.uptimeSeconds))),
          h('div', {}, h('dt', {}, 'Sessions open'), h('dd', { id: 'sessions-open' }, status.sessions)),
          h('div', {}, h('dt', {}, 'Backends'), h('dd', {}, states)),
          h('div', {}, h('dt', {}, 'Configuration'), h('dd', {}, status.config.matchesFile ? 'matches the file'
            : h('a', { href: '#config' }, `${status.config.differences.length} difference(s) from the file`))));
        fill(backendTable, table('Backends: state, circuit and health', ['Backend', 'State', 'Circuit', 'Health', 'In flight', 'Sessions'],
          backends.map((backend) => h('tr', { 'data-backend': backend.id },
            backendCells(backend),
            h('td', {}, backend.callsInFlight),
            h('td', {}, backend.sessions)))));
        for (const each of charts) {
          each.update(calls.times, calls.backends);
        }
        fill(backlog, table('Audit sinks: events queued in memory and journal not yet taken', ['Sink', 'Queued', 'Spool (bytes)'],
          status.audit.map((sink) => [sink.sink, sink.queued, sink.spooledBytes])));
        if (cluster === null) {
          fill(members, h('p', {}, 'This gateway is not in a cluster (its configuration has no cluster: section).'));
        } else {
          fill(members, table(`Members of cluster ${cluster.name}`, ['Member', 'Member address', 'MCP address', 'State'],
            cluster.members.map((member) => h('tr', { 'data-member': member.id, class: member.self ? 'self' : undefined },
              h('td', { class: 'member' }, member.self ? `${member.id} (this one)` : member.id),
              h('td', {}, member.memberAddress),
              h('td', {}, member.mcpAddress ?? 'not known yet'),
              h('td', { class: 'state' }, member.state)))));
        }
      },
      unmount() {
        charts.forEach((each) => each.destroy());
      },
    };
  },
};
