import type { SourceType } from './sources.js';

/** Stands for the key in a set-up text once the key can no longer be shown (only its hash is stored). */
export const KEY_PLACEHOLDER = '<KEY>';

/** One block to paste: what it is (`file`: where it goes in the tool), its language and the text. */
export interface SetupSnippet {
  /** stable id of the block, e.g. `alertmanager.receiver` (the web app words its title from it) */
  id: string;
  language: 'yaml' | 'text' | 'shell' | 'json';
  /** where it goes, e.g. `alertmanager.yml`, `resource.cfg` */
  file: string;
  text: string;
}

/** What a tool needs to send to Lifeline: this server's public address and the source's key (or KEY_PLACEHOLDER). */
export interface SetupInput {
  publicUrl: string;
  key: string;
}

/** The ready-to-paste configuration of a source, as GET /api/v1/sources/:name/setup and POST /api/v1/sources answer it. */
export interface SourceSetup {
  source: string;
  type: SourceType;
  /** where the tool posts */
  endpoint: string;
  /** whether the texts carry the key itself (right after creation or a new key), or KEY_PLACEHOLDER */
  keyIncluded: boolean;
  snippets: SetupSnippet[];
}

// YAML single-quoted scalars: a quote is doubled; nothing else is special inside them.
const q = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** One function per kind; they share SetupInput and answer the endpoint and the blocks. The texts follow docs/integrations.md. */
const SNIPPETS: Record<SourceType, (s: SetupInput & { base: string; name: string }) => { endpoint: string; snippets: SetupSnippet[] }> = {
  alertmanager: ({ base, key }) => {
    const endpoint = `${base}/api/v1/intake/alertmanager`;
    return {
      endpoint,
      snippets: [
        {
          id: 'alertmanager.receiver',
          language: 'yaml',
          file: 'alertmanager.yml',
          text: [
            '# Lifeline: Alertmanager webhook receiver (route alerts to it)',
            'receivers:',
            '  - name: lifeline',
            '    webhook_configs:',
            `      - url: ${q(endpoint)}`,
            '        send_resolved: true',
            '        http_config:',
            '          authorization:',
            '            type: Bearer',
            `            credentials: ${q(key)}`,
            '',
          ].join('\n'),
        },
      ],
    };
  },
  'alertmanager-v2': ({ base, key }) => {
    const url = new URL(base);
    return {
      endpoint: `${base}/api/v2/alerts`,
      snippets: [
        {
          id: 'prometheus.alerting',
          language: 'yaml',
          file: 'prometheus.yml',
          text: [
            '# Lifeline: Prometheus alerting (Lifeline as its Alertmanager)',
            'alerting:',
            '  alertmanagers:',
            '    - api_version: v2',
            `      scheme: ${url.protocol.replace(':', '')}`,
            ...(url.pathname !== '/' ? [`      path_prefix: ${q(url.pathname)}`] : []),
            '      authorization:',
            `        credentials: ${q(key)}`,
            '      static_configs:',
            `        - targets: [${q(url.host)}]`,
            '',
          ].join('\n'),
        },
      ],
    };
  },
  zabbix: ({ base, key }) => {
    const endpoint = `${base}/api/v1/intake/zabbix`;
    return {
      endpoint,
      snippets: [
        {
          id: 'zabbix.parameters',
          language: 'text',
          file: 'lifeline_media_type.yaml',
          text: `url = ${endpoint}\nkey = ${key}\n`,
        },
      ],
    };
  },
  nagios: ({ base, key }) => {
    const endpoint = `${base}/api/v1/intake/nagios`;
    const command = (name: string) =>
      ['define command {', `    command_name    ${name}`, '    command_line    /usr/local/bin/lifeline-notify --url $USER10$ --key-file /etc/nagios4/lifeline.key', '}'].join('\n');
    return {
      endpoint,
      snippets: [
        {
          id: 'nagios.key',
          language: 'shell',
          file: '/etc/nagios4/lifeline.key',
          text: ['install -m 0640 -o root -g nagios /dev/null /etc/nagios4/lifeline.key', `printf '%s\\n' '${key.replace(/'/g, "'\\''")}' > /etc/nagios4/lifeline.key`, ''].join('\n'),
        },
        { id: 'nagios.resource', language: 'text', file: 'resource.cfg', text: `$USER10$=${endpoint}\n` },
        { id: 'nagios.commands', language: 'text', file: 'conf.d/lifeline.cfg', text: `${command('notify-host-by-lifeline')}\n\n${command('notify-service-by-lifeline')}\n` },
      ],
    };
  },
  grafana: ({ base, key }) => {
    const endpoint = `${base}/api/v1/intake/grafana`;
    return {
      endpoint,
      snippets: [
        {
          id: 'grafana.contactPoint',
          language: 'yaml',
          file: 'provisioning/alerting/lifeline.yaml',
          text: [
            '# Lifeline: Grafana contact point',
            'apiVersion: 1',
            'contactPoints:',
            '  - orgId: 1',
            '    name: lifeline',
            '    receivers:',
            '      - uid: lifeline',
            '        type: webhook',
            '        settings:',
            `          url: ${q(endpoint)}`,
            '          httpMethod: POST',
            '          authorization_scheme: Bearer',
            `          authorization_credentials: ${q(key)}`,
            '',
          ].join('\n'),
        },
      ],
    };
  },
  pagerduty: ({ base, key }) => {
    const endpoint = `${base}/v2/enqueue`;
    return {
      endpoint,
      snippets: [
        { id: 'pagerduty.settings', language: 'text', file: 'Events API v2', text: `url = ${endpoint}\nrouting_key = ${key}\n` },
        {
          id: 'pagerduty.alertmanager',
          language: 'yaml',
          file: 'alertmanager.yml',
          text: [
            '# Lifeline: Alertmanager PagerDuty receiver',
            'receivers:',
            '  - name: lifeline-pagerduty',
            '    pagerduty_configs:',
            `      - url: ${q(endpoint)}`,
            `        routing_key: ${q(key)}`,
            "        group: '{{ .CommonLabels.system }}'",
            '        send_resolved: true',
            '',
          ].join('\n'),
        },
      ],
    };
  },
  generic: ({ base, key }) => {
    const endpoint = `${base}/api/v1/intake/generic`;
    const body = JSON.stringify({ summary: 'HIS 挂号接口超时', severity: 'red', system: 'HIS', component: '挂号接口', dedupKey: 'his-reg-timeout' });
    return {
      endpoint,
      snippets: [
        {
          id: 'generic.curl',
          language: 'shell',
          file: 'curl',
          text: [`curl -fsS ${endpoint} \\`, `  -H 'Authorization: Bearer ${key}' -H 'Content-Type: application/json' \\`, `  -d '${body}'`, ''].join('\n'),
        },
      ],
    };
  },
  heartbeat: ({ base, key }) => {
    const endpoint = `${base}/api/v1/heartbeat/${key}`;
    return { endpoint, snippets: [{ id: 'heartbeat.curl', language: 'shell', file: 'crontab', text: `curl -fsS ${endpoint}\n` }] };
  },
};

/** The configuration to paste into the tool a source stands for, with this server's address and the key (or KEY_PLACEHOLDER). */
export function sourceSetup(source: { name: string; type: SourceType }, input: SetupInput): SourceSetup {
  const base = input.publicUrl.replace(/\/+$/, '');
  const { endpoint, snippets } = SNIPPETS[source.type]({ ...input, base, name: source.name });
  return { source: source.name, type: source.type, endpoint, keyIncluded: input.key !== KEY_PLACEHOLDER, snippets };
}
