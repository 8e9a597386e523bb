// The TypeScript SDK's client (a dependency of server-everything) as a peer for the TLS ITs: it connects to an
// https URL over Streamable HTTP or the SSE transport, calls one tool and prints the result as JSON.
// Usage: node tls-client.mjs <streamable|sse> <url> <tool> <arguments as JSON>; a test CA comes in NODE_EXTRA_CA_CERTS.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';

const [kind, url, tool, args] = process.argv.slice(2);
const client = new Client({ name: 'mcpgw-tls-it', version: '1' });
const transport = kind === 'sse' ? new SSEClientTransport(new URL(url)) : new StreamableHTTPClientTransport(new URL(url));
await client.connect(transport);
const result = await client.callTool({ name: tool, arguments: JSON.parse(args) });
console.log(JSON.stringify(result));
await client.close();
